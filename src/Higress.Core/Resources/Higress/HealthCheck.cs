using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Active HTTP health checking of endpoints (Higress.Net field names).</summary>
public sealed record HealthCheck
{
    /// <summary>The path probed; default <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>The probe interval; default 10s.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>The probe timeout; default 2s.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Successes before an endpoint is healthy again.</summary>
    [Range(1, 100)]
    public int HealthyThreshold { get; init; } = 1;

    /// <summary>Failures before an endpoint is unhealthy.</summary>
    [Range(1, 100)]
    public int UnhealthyThreshold { get; init; } = 3;
}
