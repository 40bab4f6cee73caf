namespace Higress.Core.Plan;

/// <summary>Names a configuration object in messages, statuses and the plan.</summary>
/// <param name="Kind">The object's kind, e.g. <c>HTTPRoute</c> or <c>Route</c>.</param>
/// <param name="Namespace">The object's namespace (empty for cluster-scoped kinds).</param>
/// <param name="Name">The object's name.</param>
public sealed record ObjectRef(string Kind, string Namespace, string Name)
{
    /// <summary>Formats as <c>Kind namespace/name</c>.</summary>
    public override string ToString() => string.IsNullOrEmpty(Namespace) ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
