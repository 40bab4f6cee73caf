using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// What of a ServiceEntry's traffic policy this version enforces, in one place. Every field set that the runtime does
/// not act on is reported with <see cref="TranslationContext.NotEnforced"/>, so that a policy never looks enforced
/// when it is not; upstream TLS that cannot be originated as configured fails closed (<see cref="UpstreamTlsResolver"/>).
/// </summary>
internal static class ServiceEntryChecks
{
    /// <summary>The <c>loadBalancer.simple</c> values the reader accepts, for its fix text.</summary>
    public const string LoadBalancerNames = "ROUND_ROBIN, LEAST_REQUEST, LEAST_CONN, RANDOM";

    /// <summary>
    /// The <c>loadBalancer.simple</c> values, as YARP load-balancing policies; null for a value the reader refuses.
    /// PASSTHROUGH is refused: it means "the caller's original destination", which a gateway that resolves the
    /// destination itself does not have, and quietly balancing instead would look enforced when it is not.
    /// </summary>
    public static string? LoadBalancing(string? simple) => simple?.ToUpperInvariant() switch
    {
        null or "UNSPECIFIED" => "RoundRobin",
        "ROUND_ROBIN" => "RoundRobin",
        "LEAST_REQUEST" or "LEAST_CONN" => "LeastRequests",
        "RANDOM" => "Random",
        _ => null,
    };

    /// <summary>Reports every field of <paramref name="entry"/> that is set but not enforced.</summary>
    public static void Check(TranslationContext context, ServiceEntry entry)
    {
        var spec = entry.Spec;
        if (!spec.ExportTo.IsEmpty)
        {
            context.NotEnforced(entry, "spec.exportTo", "the entry is visible to routes in every namespace");
        }

        CheckPolicy(context, entry, spec.TrafficPolicy, "spec.trafficPolicy");
        for (var i = 0; i < spec.Subsets.Count; i++)
        {
            CheckPolicy(context, entry, spec.Subsets[i].TrafficPolicy, $"spec.subsets[{i}].trafficPolicy");
        }
    }

    private static void CheckPolicy(TranslationContext context, ServiceEntry entry, TrafficPolicy? policy, string field)
    {
        if (policy is null)
        {
            return;
        }

        void NotEnforced(object? value, string name, string? detail = null)
        {
            if (value is not null)
            {
                context.NotEnforced(entry, $"{field}.{name}", detail);
            }
        }

        if (policy.ConnectionPool is { } pool)
        {
            // The limits, timeouts and maxRequestsPerConnection are enforced (Hosting's ConnectionPoolAdmission and
            // the forwarder client's handler); maxRetries by the retry policy. These have no equivalent there.
            NotEnforced(pool.Tcp?.TcpKeepalive, "connectionPool.tcp.tcpKeepalive", "the operating system's keepalive settings apply");
            NotEnforced(pool.Http?.H2UpgradePolicy, "connectionPool.http.h2UpgradePolicy", "the upstream protocol follows the port's protocol");
            NotEnforced(pool.Http?.UseClientProtocol, "connectionPool.http.useClientProtocol", "the upstream protocol follows the port's protocol");
            NotEnforced(pool.Http?.MaxConcurrentStreams, "connectionPool.http.maxConcurrentStreams", "HTTP/2 connections carry as many streams as the upstream allows");
        }

        if (policy.OutlierDetection is { } outlier)
        {
            NotEnforced(outlier.MinHealthPercent, "outlierDetection.minHealthPercent", "ejection goes on whatever the healthy share; only when no endpoint is left are all used");
            NotEnforced(outlier.SplitExternalLocalOriginErrors, "outlierDetection.splitExternalLocalOriginErrors", "connection errors count with the upstream's 5xx and gateway errors");
            NotEnforced(outlier.ConsecutiveLocalOriginFailures, "outlierDetection.consecutiveLocalOriginFailures", "connection errors count with the upstream's 5xx and gateway errors");
        }

        NotEnforced(policy.PortLevelSettings.IsEmpty ? null : (object)policy.PortLevelSettings, "portLevelSettings", "the service-level policy applies to every port");
        if (policy.LoadBalancer is { } lb)
        {
            NotEnforced(lb.LocalityLbSetting, "loadBalancer.localityLbSetting", "endpoints are chosen regardless of locality");
            NotEnforced(lb.WarmupDurationSecs, "loadBalancer.warmupDurationSecs", "new endpoints get their full share at once");
        }

        if (policy.Tls is { } tls)
        {
            var host = entry.Spec.Hosts.IsEmpty ? entry.Metadata.Name : entry.Spec.Hosts[0];
            if (UpstreamTlsResolver.FromServiceEntry(context.Snapshot, entry, tls, field + ".tls", host).Error is { } refused)
            {
                context.Error(entry, field + ".tls", refused);
                context.Status(entry).Set("Accepted", false, "UnsupportedValue", refused);
            }
        }
    }
}
