using System.Globalization;
using Higress.Core.Plan;

namespace Higress.Hosting.Resilience;

/// <summary>
/// Carries a cluster's connection-pool settings from its plan to its forwarder client, through the YARP cluster's
/// metadata: YARP rebuilds a cluster when its metadata changes, and <see cref="HigressForwarderHttpClientFactory"/>
/// builds a new client (a new pool) only when these entries changed.
/// </summary>
internal static class ConnectionPoolMetadata
{
    private const string Prefix = "higress.connectionPool.";
    private const string MaxConnections = Prefix + "maxConnections";
    private const string MaxRequestsPerConnection = Prefix + "maxRequestsPerConnection";
    private const string IdleTimeout = Prefix + "idleTimeout";
    private const string ConnectTimeout = Prefix + "connectTimeout";
    private const string MaxConnectionDuration = Prefix + "maxConnectionDuration";

    /// <summary>The metadata entries for <paramref name="pool"/>; null when it sets nothing the client uses.</summary>
    public static Dictionary<string, string>? ToMetadata(ConnectionPoolPlan? pool)
    {
        if (pool is null)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        Add(metadata, MaxConnections, pool.MaxConnections);
        Add(metadata, MaxRequestsPerConnection, pool.MaxRequestsPerConnection);
        Add(metadata, IdleTimeout, pool.IdleTimeout);
        Add(metadata, ConnectTimeout, pool.ConnectTimeout);
        Add(metadata, MaxConnectionDuration, pool.MaxConnectionDuration);
        return metadata.Count == 0 ? null : metadata;
    }

    /// <summary>Sets the handler's pool from the entries in <paramref name="metadata"/>; absent entries keep its defaults.</summary>
    public static void Apply(IReadOnlyDictionary<string, string>? metadata, SocketsHttpHandler handler)
    {
        if (metadata is null)
        {
            return;
        }

        if (metadata.TryGetValue(MaxConnections, out var connections))
        {
            handler.MaxConnectionsPerServer = int.Parse(connections, CultureInfo.InvariantCulture);
        }

        if (metadata.TryGetValue(IdleTimeout, out var idle))
        {
            handler.PooledConnectionIdleTimeout = Duration(idle);
        }

        if (metadata.TryGetValue(ConnectTimeout, out var connect))
        {
            handler.ConnectTimeout = Duration(connect);
        }

        if (metadata.TryGetValue(MaxConnectionDuration, out var lifetime))
        {
            handler.PooledConnectionLifetime = Duration(lifetime);
        }

        if (metadata.TryGetValue(MaxRequestsPerConnection, out var perConnection))
        {
            var limit = int.Parse(perConnection, CultureInfo.InvariantCulture);

            // HTTP/2 multiplexes requests on one connection; the count applies to HTTP/1.x connections only.
            handler.PlaintextStreamFilter = (context, _) => ValueTask.FromResult(
                context.NegotiatedHttpVersion.Major == 1 ? new RequestLimitedStream(context.PlaintextStream, limit) : context.PlaintextStream);
        }
    }

    /// <summary>True when both hold the same connection-pool entries (other metadata is ignored).</summary>
    public static bool SameSettings(IReadOnlyDictionary<string, string>? left, IReadOnlyDictionary<string, string>? right)
    {
        var a = Entries(left);
        var b = Entries(right);
        return a.Count == b.Count && a.All(entry => b.TryGetValue(entry.Key, out var value) && value == entry.Value);
    }

    private static Dictionary<string, string> Entries(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is null
            ? []
            : metadata.Where(entry => entry.Key.StartsWith(Prefix, StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);

    private static void Add(Dictionary<string, string> metadata, string key, int? value)
    {
        if (value is { } v)
        {
            metadata[key] = v.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static void Add(Dictionary<string, string> metadata, string key, TimeSpan? value)
    {
        if (value is { } v)
        {
            metadata[key] = v.ToString("c", CultureInfo.InvariantCulture);
        }
    }

    private static TimeSpan Duration(string text) => TimeSpan.ParseExact(text, "c", CultureInfo.InvariantCulture);
}
