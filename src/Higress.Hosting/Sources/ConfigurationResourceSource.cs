using System.Globalization;
using System.Text.Json.Nodes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Sources;

/// <summary>
/// Reads objects from a configuration section (default <c>Higress:Resources</c>, an array of JSON objects in
/// appsettings) and reloads when the configuration does. The section tree is turned back into JSON: sections whose
/// keys are 0..n-1 become arrays, values stay strings, and the binder accepts numbers and booleans written as
/// strings for this source.
/// </summary>
internal sealed class ConfigurationResourceSource : IResourceSource, IDisposable
{
    /// <summary>The default section.</summary>
    public const string DefaultSection = "Higress:Resources";

    private readonly IConfiguration _configuration;
    private readonly string _section;
    private readonly ChangeSignal _signal = new();
    private readonly IDisposable _subscription;
    private readonly Lock _lock = new();
    private SourceContent _current = SourceContent.Empty;

    public ConfigurationResourceSource(IConfiguration configuration, string section = DefaultSection, string name = "appsettings")
    {
        _configuration = configuration;
        _section = section;
        Name = name;
        Reload();
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public SourceContent Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public IChangeToken GetChangeToken() => _signal.GetToken();

    public void Reload()
    {
        lock (_lock)
        {
            var section = _configuration.GetSection(_section);
            var documents = section.GetChildren().OrderBy(c => c.Key, ConfigurationKeyComparer.Instance).Select(ToNode);
            var result = ResourceParser.ParseNodes(documents, new ResourceOrigin(Name, _section, 0, 0), stringScalars: true);
            var content = new SourceContent([.. result.Resources], [.. result.Diagnostics]);
            if (content == _current)
            {
                return;
            }

            Volatile.Write(ref _current, content);
        }

        _signal.Fire();
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _signal.Dispose();
    }

    internal static JsonNode? ToNode(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        var indexes = children.Select(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (indexes.Order().SequenceEqual(Enumerable.Range(0, children.Count)))
        {
            var array = new JsonArray();
            foreach (var child in children.OrderBy(c => int.Parse(c.Key, CultureInfo.InvariantCulture)))
            {
                array.Add(ToNode(child));
            }

            return array;
        }

        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = ToNode(child);
        }

        return obj;
    }
}
