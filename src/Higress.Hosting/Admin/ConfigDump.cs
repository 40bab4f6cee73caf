using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Higress.Core.Plan;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Admin;

/// <summary>
/// Builds <c>/config_dump</c>: the applied plan, every object's status, every configuration error and warning, and the
/// objects read — with anything that looks like a secret, key, token or password redacted.
/// </summary>
internal static partial class ConfigDump
{
    public const string Redacted = "<redacted>";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { HideParsedPluginConfig } },
    };

    public static JsonObject Build(HigressRuntime runtime)
    {
        var state = runtime.Current;
        var latest = runtime.LastTranslation ?? state.Translation;
        var diagnostics = latest.Diagnostics;
        var root = new JsonObject
        {
            ["generation"] = state.Plan.Generation,
            ["planApplied"] = runtime.HasAppliedPlan,
            ["lastApplyError"] = runtime.LastApplyError,
            ["errors"] = Serialize(diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToArray()),
            ["warnings"] = Serialize(diagnostics.Where(d => !d.IsError).Select(d => d.ToString()).ToArray()),
            ["diagnostics"] = Serialize(diagnostics),
            ["statuses"] = Serialize(latest.Statuses),
            ["plan"] = Serialize(state.Plan),
            ["resources"] = Serialize(runtime.LastSnapshot?.Resources.Select(r => new
            {
                r.ApiVersion,
                r.Kind,
                r.Namespace,
                r.Name,
                origin = r.Origin.Display,
            }).ToArray() ?? []),
        };
        RedactSecrets(root);
        return root;
    }

    public static string ToJson(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonNode? Serialize<T>(T value) => JsonSerializer.SerializeToNode(value, Options);

    private static void HideParsedPluginConfig(JsonTypeInfo info)
    {
        if (info.Type != typeof(PluginBinding))
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Name == "config")
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    /// <summary>Replaces secret-looking values, including inside plugin configs carried as JSON text.</summary>
    internal static void RedactSecrets(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "configJson" && value is JsonValue text && text.TryGetValue<string>(out var json))
                    {
                        JsonNode? parsed;
                        try
                        {
                            parsed = JsonNode.Parse(json);
                        }
                        catch (JsonException)
                        {
                            parsed = null;
                        }

                        RedactSecrets(parsed);
                        obj.Remove(name);
                        obj["config"] = parsed;
                    }
                    else if (SecretName().IsMatch(name))
                    {
                        obj[name] = RedactAll(value);
                    }
                    else
                    {
                        RedactSecrets(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RedactSecrets(item);
                }

                break;
        }
    }

    private static JsonNode? RedactAll(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => new JsonArray(array.Select(RedactAll).ToArray()),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, RedactAll(p.Value)))),
        _ => JsonValue.Create(Redacted),
    };

    [GeneratedRegex("password|secret|token|credential|private|api_?key|authorization|cookie|^data$|^stringData$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
