namespace Higress.Core.Plugins;

/// <summary>One problem in a plugin instance's configuration.</summary>
/// <param name="FieldPath">The field, relative to the plugin config, e.g. <c>headers[1]</c>; empty for the whole config.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it, or null.</param>
public sealed record PluginConfigError(string FieldPath, string Message, string? Fix = null)
{
    /// <summary><c>field: message; fix</c>.</summary>
    public override string ToString()
    {
        var path = FieldPath.Length == 0 ? string.Empty : FieldPath + ": ";
        var fix = string.IsNullOrEmpty(Fix) ? string.Empty : "; " + Fix;
        return path + Message + fix;
    }
}
