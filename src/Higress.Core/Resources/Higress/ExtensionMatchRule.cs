using System.Text.Json;

namespace Higress.Core.Resources;

/// <summary>A config override for some routes or domains.</summary>
public sealed record ExtensionMatchRule
{
    /// <summary>Routes (<c>name</c> or <c>namespace/name</c>).</summary>
    public EquatableArray<string> Route { get; init; }

    /// <summary>Domains (wildcards allowed).</summary>
    public EquatableArray<string> Domain { get; init; }

    /// <summary>The config used for matching requests.</summary>
    public EquatableJson? Config { get; init; }

    /// <summary>Disable the plugin for matching requests.</summary>
    public bool ConfigDisable { get; init; }
}
