namespace Higress.Core.Resources;

/// <summary>A Kubernetes label selector: all <c>matchLabels</c> and all <c>matchExpressions</c> must hold.</summary>
public sealed record LabelSelector
{
    /// <summary>Labels that must be present with these exact values.</summary>
    public EquatableMap<string> MatchLabels { get; init; }

    /// <summary>Set-based requirements.</summary>
    public EquatableArray<LabelSelectorRequirement> MatchExpressions { get; init; }

    /// <summary>True when <paramref name="labels"/> satisfy the selector (an empty selector matches everything).</summary>
    /// <param name="labels">An object's labels.</param>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in MatchLabels)
        {
            if (!labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        foreach (var requirement in MatchExpressions)
        {
            var has = labels.TryGetValue(requirement.Key, out var actual);
            var ok = requirement.Operator switch
            {
                LabelSelectorOperator.In => has && requirement.Values.Contains(actual!),
                LabelSelectorOperator.NotIn => !has || !requirement.Values.Contains(actual!),
                LabelSelectorOperator.Exists => has,
                LabelSelectorOperator.DoesNotExist => !has,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
