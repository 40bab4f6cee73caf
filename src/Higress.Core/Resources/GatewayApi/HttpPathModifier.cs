using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A path change: the full path, or the matched prefix.</summary>
public sealed record HttpPathModifier
{
    /// <summary>ReplaceFullPath | ReplacePrefixMatch.</summary>
    [Required]
    public PathModifierType Type { get; init; }

    /// <summary>The new path, for ReplaceFullPath.</summary>
    public string? ReplaceFullPath { get; init; }

    /// <summary>The replacement of the matched prefix, for ReplacePrefixMatch.</summary>
    public string? ReplacePrefixMatch { get; init; }
}

/// <summary>How a path is changed.</summary>
public enum PathModifierType
{
    /// <summary>Replace the whole path.</summary>
    ReplaceFullPath,

    /// <summary>Replace the prefix the rule matched.</summary>
    ReplacePrefixMatch,
}
