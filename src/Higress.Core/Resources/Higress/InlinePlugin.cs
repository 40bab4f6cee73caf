using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A plugin instance inside a rule: <c>{name: key-auth, config: {...}}</c>.</summary>
public sealed record InlinePlugin
{
    /// <summary>The plugin name, e.g. <c>key-auth</c>.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>The plugin's config (its own field names).</summary>
    public EquatableJson? Config { get; init; }
}
