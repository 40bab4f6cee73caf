using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Reads the objects a <c>Higress</c> configuration section declares: <c>Resources</c> (objects in full form) and
/// the shorthand <c>Backends</c> and <c>Routes</c>. The appsettings source and <c>GatewayExplainer.FromConfiguration</c>
/// both read through here, so a test explains exactly what the host serves.
/// </summary>
internal static class ConfigurationResources
{
    /// <summary>Reads <paramref name="higress"/> (the <c>Higress</c> section, or any section laid out like it).</summary>
    /// <param name="higress">The section; its path prefixes every origin, e.g. <c>Higress:Resources</c>.</param>
    /// <param name="sourceName">The source's name in origins and diagnostics.</param>
    public static ParseResult Read(IConfiguration higress, string sourceName = "appsettings")
    {
        ArgumentNullException.ThrowIfNull(higress);
        var prefix = higress is IConfigurationSection { Path.Length: > 0 } section ? section.Path + ":" : string.Empty;
        var documents = higress.GetSection("Resources").GetChildren().OrderBy(c => c.Key, ConfigurationKeyComparer.Instance).Select(ToNode);
        var full = ResourceParser.ParseNodes(documents, new ResourceOrigin(sourceName, prefix + "Resources", 0, 0), stringScalars: true);
        var shorthand = ShorthandExpander.Expand(ToNode(higress.GetSection("Backends")), ToNode(higress.GetSection("Routes")), prefix, sourceName);
        return new ParseResult([.. full.Resources, .. shorthand.Resources], [.. full.Diagnostics, .. shorthand.Diagnostics]);
    }

    /// <summary>
    /// Turns a section tree back into JSON: sections whose keys are 0..n-1 become arrays, values stay strings (the
    /// binder accepts numbers and booleans written as strings for configuration), and an absent section is null.
    /// </summary>
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
