using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Fault injection (Istio <c>HTTPFaultInjection</c>).</summary>
public sealed record FaultInjection
{
    /// <summary>Delays some requests.</summary>
    public FaultDelay? Delay { get; init; }

    /// <summary>Fails some requests.</summary>
    public FaultAbort? Abort { get; init; }
}

/// <summary>Delays a share of requests.</summary>
public sealed record FaultDelay
{
    /// <summary>The share delayed; default 100.</summary>
    public Percent? Percentage { get; init; }

    /// <summary>The delay, e.g. <c>2s</c>.</summary>
    [Required]
    public TimeSpan FixedDelay { get; init; }
}

/// <summary>Fails a share of requests with a status code.</summary>
public sealed record FaultAbort
{
    /// <summary>The share aborted; default 100.</summary>
    public Percent? Percentage { get; init; }

    /// <summary>The status returned, 200..599.</summary>
    [Required]
    [Range(200, 599)]
    public int HttpStatus { get; init; }
}
