using System.Text.Json;

namespace Higress.Core.Plugins;

/// <summary>
/// Collects the problems found while parsing one plugin instance's configuration. Parsers report every
/// problem instead of stopping at the first, so that a user fixes a config in one round.
/// </summary>
public sealed class PluginConfigContext
{
    private static readonly JsonSerializerOptions SnakeCaseOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private readonly List<PluginConfigError> _errors = [];

    /// <summary>Creates a context for one instance.</summary>
    /// <param name="pluginName">The plugin's name.</param>
    /// <param name="instanceId">The configuring object, e.g. <c>Extension default/jwt</c>.</param>
    public PluginConfigContext(string pluginName, string instanceId)
    {
        PluginName = pluginName;
        InstanceId = instanceId;
    }

    /// <summary>The plugin's name.</summary>
    public string PluginName { get; }

    /// <summary>The configuring object, e.g. <c>Extension default/jwt</c>.</summary>
    public string InstanceId { get; }

    /// <summary>The problems reported so far.</summary>
    public IReadOnlyList<PluginConfigError> Errors => _errors;

    /// <summary>True when at least one problem was reported.</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Reports a problem.</summary>
    /// <param name="fieldPath">The field, relative to the plugin config, e.g. <c>headers[1]</c>.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="fix">How to fix it.</param>
    public void AddError(string fieldPath, string message, string? fix = null) => _errors.Add(new PluginConfigError(fieldPath, message, fix));

    /// <summary>
    /// Binds <paramref name="config"/> to <typeparamref name="T"/> with snake_case property names (Higress's
    /// field names), reporting a type mismatch as an error on its field instead of throwing.
    /// </summary>
    /// <typeparam name="T">The config type.</typeparam>
    /// <param name="config">The configuration JSON.</param>
    /// <param name="options">Serializer options; snake_case names by default.</param>
    /// <returns>The bound value, or null when binding failed (an error was reported).</returns>
    public T? Deserialize<T>(JsonElement config, JsonSerializerOptions? options = null)
        where T : class
    {
        try
        {
            return config.Deserialize<T>(options ?? SnakeCaseOptions);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is null or "$" ? string.Empty : ex.Path.TrimStart('$', '.');
            AddError(path, "has the wrong type or shape", $"see the {PluginName} plugin's field table");
            return null;
        }
    }
}
