using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// What of a ServiceEntry's traffic policy this version enforces, in one place. Every field set that the runtime does
/// not act on is reported with <see cref="TranslationContext.NotEnforced"/>, so that a policy never looks enforced
/// when it is not; an upstream TLS mode the gateway cannot originate fails closed (<see cref="UnsupportedTls"/>).
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

    /// <summary>
    /// Why requests to this policy's upstream must not be sent at all, or null. Client certificates (MUTUAL,
    /// ISTIO_MUTUAL) are not built yet, and sending plain HTTP, or TLS without the certificate, to a backend that
    /// expects them would be a quiet downgrade.
    /// </summary>
    public static string? UnsupportedTls(ClientTlsSettings? tls) => tls?.Mode.ToUpperInvariant() switch
    {
        null or "DISABLE" or "SIMPLE" => null,
        "MUTUAL" or "ISTIO_MUTUAL" => $"tls.mode {tls.Mode}: client certificates toward upstreams are not supported yet, so requests are refused rather than sent without one; use SIMPLE or DISABLE",
        _ => $"tls.mode '{tls.Mode}' is not one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL; requests are refused; fix the mode",
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
            if (UnsupportedTls(tls) is { } refused)
            {
                context.Error(entry, field + ".tls.mode", refused);
                context.Status(entry).Set("Accepted", false, "UnsupportedValue", $"{field}.{refused}");
                return;
            }

            var verifying = !tls.InsecureSkipVerify && tls.Mode.Equals("SIMPLE", StringComparison.OrdinalIgnoreCase);
            NotEnforced(tls.Sni, "tls.sni", "the SNI sent is the destination's host");
            NotEnforced(tls.CaCertificates, "tls.caCertificates", verifying ? "the upstream's certificate is verified against the system trust store only" : null);
            NotEnforced(tls.CredentialName, "tls.credentialName", verifying ? "the upstream's certificate is verified against the system trust store only" : null);
            NotEnforced(tls.SubjectAltNames.IsEmpty ? null : (object)tls.SubjectAltNames, "tls.subjectAltNames", verifying ? "the certificate must name the destination's host instead" : null);
            NotEnforced(tls.ClientCertificate, "tls.clientCertificate", "no client certificate is sent");
            NotEnforced(tls.PrivateKey, "tls.privateKey", "no client certificate is sent");
        }
    }
}
