using System.Collections.Concurrent;
using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Samples.ConsumerCounting;

/// <summary>
/// Counts requests per consumer and tells each caller its count in the <c>x-consumer-request-count</c>
/// response header. The consumer is the one an authentication plugin established (<see cref="PluginContext.Consumer"/>),
/// else the value of the configured request header. Counts live in this process only.
/// </summary>
public sealed class RequestCountingPlugin : HigressPlugin<RequestCountingConfig>
{
    /// <summary>The response header carrying the caller's count.</summary>
    public const string CountHeader = "x-consumer-request-count";

    private static readonly object CountKey = new();
    private readonly ConcurrentDictionary<string, Counter> _counts = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string Name => "consumer-request-counter";

    /// <inheritdoc />
    /// <remarks>STATS runs after AUTHN and AUTHZ, so only requests that passed authentication are counted.</remarks>
    public override PluginPhase DefaultPhase => PluginPhase.Stats;

    /// <summary>The number of requests counted for <paramref name="consumer"/>.</summary>
    /// <param name="consumer">The consumer name.</param>
    /// <returns>The count; 0 for an unknown consumer.</returns>
    public long GetCount(string consumer) => _counts.TryGetValue(consumer, out var counter) ? Interlocked.Read(ref counter.Value) : 0;

    /// <summary>A copy of every consumer's count.</summary>
    /// <returns>Consumer name to count.</returns>
    public IReadOnlyDictionary<string, long> Snapshot() => _counts.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal);

    /// <inheritdoc />
    public override RequestCountingConfig ParseConfig(JsonElement config, PluginConfigContext context)
    {
        var parsed = context.Deserialize<RequestCountingConfig>(config) ?? new RequestCountingConfig();
        if (string.IsNullOrWhiteSpace(parsed.Header))
        {
            context.AddError("header", "must name a request header", "write e.g. header: x-consumer");
        }

        if (string.IsNullOrEmpty(parsed.Anonymous))
        {
            context.AddError("anonymous", "must not be empty", "remove it to count unnamed callers as 'anonymous'");
        }

        return parsed;
    }

    /// <inheritdoc />
    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, RequestCountingConfig config)
    {
        var consumer = context.Consumer;
        if (string.IsNullOrEmpty(consumer))
        {
            var header = context.HttpContext.Request.Headers[config.Header].ToString();
            consumer = header.Length > 0 ? header : config.Anonymous;
            context.Consumer = consumer;
        }

        var counter = _counts.GetOrAdd(consumer, static _ => new Counter());
        context.HttpContext.Items[CountKey] = Interlocked.Increment(ref counter.Value);
        return new ValueTask<PluginResult>(PluginResult.Continue);
    }

    /// <inheritdoc />
    public override ValueTask OnResponseAsync(PluginContext context, RequestCountingConfig config)
    {
        if (context.HttpContext.Items.TryGetValue(CountKey, out var count) && count is long value)
        {
            context.HttpContext.Response.Headers[CountHeader] = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return default;
    }

    private sealed class Counter
    {
        public long Value;
    }
}
