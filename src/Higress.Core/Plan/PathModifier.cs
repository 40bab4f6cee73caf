namespace Higress.Core.Plan;

/// <summary>How a rewrite or redirect changes the path.</summary>
public enum PathModifierKind
{
    /// <summary>Replace the whole path.</summary>
    ReplaceFullPath,
    /// <summary>Replace the prefix that the path match matched, keeping the rest.</summary>
    ReplacePrefixMatch,
}

/// <summary>A path change.</summary>
/// <param name="Kind">Full replacement or prefix replacement.</param>
/// <param name="Value">The new path or prefix.</param>
public sealed record PathModifier(PathModifierKind Kind, string Value);
