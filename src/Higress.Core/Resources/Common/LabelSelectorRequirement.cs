using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>One <c>matchExpressions</c> item of a label selector.</summary>
public sealed record LabelSelectorRequirement
{
    /// <summary>The label key.</summary>
    [Required]
    public string Key { get; init; } = string.Empty;

    /// <summary>In | NotIn | Exists | DoesNotExist.</summary>
    [Required]
    public LabelSelectorOperator Operator { get; init; }

    /// <summary>The values for In and NotIn.</summary>
    public EquatableArray<string> Values { get; init; }
}

/// <summary>A label selector requirement's operator.</summary>
public enum LabelSelectorOperator
{
    /// <summary>The label's value is one of the values.</summary>
    In,

    /// <summary>The label is absent or its value is none of the values.</summary>
    NotIn,

    /// <summary>The label is present.</summary>
    Exists,

    /// <summary>The label is absent.</summary>
    DoesNotExist,
}
