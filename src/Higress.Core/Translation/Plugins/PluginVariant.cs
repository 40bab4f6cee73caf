namespace Higress.Core.Translation.Plugins;

/// <summary>
/// One configuration of a plugin instance (its default config or a match rule's), parsed once per plan.
/// <see cref="Disabled"/> variants switch the plugin off where they apply (<c>configDisable</c>).
/// </summary>
internal sealed record PluginVariant(string ConfigJson, object? Config, string? Problem, bool Disabled)
{
    public static PluginVariant Off { get; } = new("{}", null, null, true);

    public bool IsUsable => !Disabled && Problem is null;
}
