namespace Higress.Samples.ConsumerCounting;

/// <summary>The <c>consumer-request-counter</c> config: <c>{header: x-consumer, anonymous: anonymous}</c>.</summary>
public sealed record RequestCountingConfig
{
    /// <summary>The request header naming the consumer when no authentication plugin established one.</summary>
    public string Header { get; init; } = "x-consumer";

    /// <summary>The name requests without any consumer are counted under.</summary>
    public string Anonymous { get; init; } = "anonymous";
}
