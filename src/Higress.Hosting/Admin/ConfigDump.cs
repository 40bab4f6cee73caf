using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Translation;
using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Admin;

/// <summary>
/// Writes <c>/config_dump</c>: the applied plan, every object's status (with the runtime's listener state laid over
/// it), every configuration error and warning, the listener endpoints and the objects read, with secrets redacted
/// (<see cref="Redaction"/>). It streams: each entry is serialized on its own and flushed, so a large configuration is
/// never held as one document in memory.
/// </summary>
internal static class ConfigDump
{
    private const int FlushThreshold = 32 * 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { HideParsedPluginConfig, Redaction.HideSensitiveHeaderValues } },
    };

    public static async Task WriteAsync(Stream body, HigressRuntime runtime, IReadOnlyList<ListenerEndpointStatus> endpoints, ConfigDumpFilter filter, CancellationToken cancellationToken, PluginRuntimeReports? pluginReports = null)
    {
        var state = runtime.Current;
        var translated = runtime.LastTranslation ?? state.Translation;
        // Problems plugins found after the apply (a watched policy that stopped compiling) join the translation's.
        var reports = pluginReports?.Current ?? [];
        var latest = reports.Count == 0 ? translated : translated with
        {
            Diagnostics = [.. translated.Diagnostics, .. reports],
            Statuses = PluginRuntimeOverlay(translated.Statuses, reports),
        };
        var statuses = ListenerStatusOverlay.Apply(latest.Statuses, endpoints);
        var failing = filter.ErrorsOnly
            ? latest.Diagnostics.Where(d => d.IsError).Select(d => d.Object)
                .Concat(statuses.Where(ConfigDumpFilter.HasError).Select(s => s.Object))
                .ToHashSet(StringComparer.Ordinal)
            : null;
        bool Wanted(string display) => filter.Matches(display) && (failing is null || failing.Contains(display));

        var diagnostics = latest.Diagnostics.Where(d => Wanted(d.Object) && (!filter.ErrorsOnly || d.IsError)).ToList();
        var plan = state.Plan;
        // The dump is read by operators and tools, never embedded in a page: keep <redacted>, '+' and '&' readable.
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        writer.WriteNumber("generation", plan.Generation);
        writer.WriteBoolean("planApplied", runtime.HasAppliedPlan);
        writer.WriteString("lastApplyError", runtime.LastApplyError);
        await WriteArrayAsync(writer, "errors", diagnostics.Where(d => d.IsError).Select(d => d.ToString()), cancellationToken);
        await WriteArrayAsync(writer, "warnings", diagnostics.Where(d => !d.IsError).Select(d => d.ToString()), cancellationToken);
        await WriteArrayAsync(writer, "diagnostics", diagnostics, cancellationToken);
        await WriteArrayAsync(writer, "statuses", statuses.Where(s => Wanted(s.Object)), cancellationToken);
        await WriteArrayAsync(writer, "listeners", endpoints
            .Where(e => (e.Endpoint.IsAdmin ? !filter.NamesObjects : e.Endpoint.Listeners.Any(l => filter.Matches(l.Gateway.ToString())))
                && (!filter.ErrorsOnly || e.State == ListenerEndpointState.Failed))
            .Select(Describe), cancellationToken);

        writer.WritePropertyName("plan");
        writer.WriteStartObject();
        writer.WriteNumber("generation", plan.Generation);
        await WriteArrayAsync(writer, "listeners", plan.Listeners.Where(l => Wanted(l.Gateway.ToString())), cancellationToken);
        await WriteArrayAsync(writer, "routes", plan.Routes.Where(r => Wanted(r.Source.ToString())), cancellationToken);
        await WriteArrayAsync(writer, "clusters", plan.Clusters.Where(c => Wanted(c.Service.ToString())), cancellationToken);
        writer.WriteEndObject();

        var resources = runtime.LastSnapshot?.Resources.Where(r => Wanted(r.Display)) ?? [];
        await WriteArrayAsync(writer, "resources", resources.Select(r => new
        {
            r.ApiVersion,
            r.Kind,
            r.Namespace,
            r.Name,
            origin = r.Origin.Display,
        }), cancellationToken);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>An object as the admin endpoints print it: camelCase JSON, enums as names, secrets redacted.</summary>
    public static JsonNode? ToRedactedNode<T>(T item)
    {
        var node = JsonSerializer.SerializeToNode(item, Options);
        Redaction.Redact(node);
        return node;
    }

    private static EquatableArray<ObjectStatus> PluginRuntimeOverlay(EquatableArray<ObjectStatus> statuses, IReadOnlyList<ConfigDiagnostic> reports)
    {
        var byObject = reports.GroupBy(r => r.Object, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => new StatusCondition(PluginRuntimeReports.ConditionType, false, "PluginRuntimeError", string.Join("; ", g.Select(r => $"{r.FieldPath}: {r.Message}"))),
            StringComparer.Ordinal);
        var overlaid = statuses.Select(s => byObject.Remove(s.Object, out var condition)
            ? s with { Conditions = [.. s.Conditions.Where(c => c.Type != PluginRuntimeReports.ConditionType), condition] }
            : s).ToList();
        overlaid.AddRange(byObject.Select(o => new ObjectStatus(o.Key, 0, new[] { o.Value }.ToEquatableArray(), [])));
        return [.. overlaid.OrderBy(s => s.Object, StringComparer.Ordinal)];
    }

    private static object Describe(ListenerEndpointStatus status) => new
    {
        address = status.Endpoint.Address,
        port = status.Endpoint.Port,
        url = status.Endpoint.Url,
        state = status.State.ToString().ToLowerInvariant(),
        reason = status.Reason,
        http3 = Http3Support.Describe(status),
        admin = status.Endpoint.IsAdmin,
        listeners = status.Endpoint.Listeners.Select(l => $"{l.Gateway} listener {l.Name}").ToArray(),
    };

    private static async Task WriteArrayAsync<T>(Utf8JsonWriter writer, string name, IEnumerable<T> items, CancellationToken cancellationToken)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            var node = ToRedactedNode(item);
            if (node is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                node.WriteTo(writer);
            }

            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
    }

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
}
