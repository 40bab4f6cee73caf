namespace Higress.Core.Resources;

/// <summary>A gRPC method match; at least one of service and method.</summary>
public sealed record GrpcMethodMatch
{
    /// <summary>Exact (default) | RegularExpression.</summary>
    public ValueMatchType Type { get; init; } = ValueMatchType.Exact;

    /// <summary>The service, e.g. <c>foo.bar.Greeter</c>.</summary>
    public string? Service { get; init; }

    /// <summary>The method, e.g. <c>SayHello</c>.</summary>
    public string? Method { get; init; }

    /// <summary>
    /// For <see cref="ValueMatchType.RegularExpression"/>: the path pattern the router runs. Each part is its own
    /// group, so that an alternation in one ('a|b') cannot swallow the '/' between them.
    /// </summary>
    internal string RegexPath => $"/(?:{Service ?? "[^/]+"})/(?:{Method ?? "[^/]+"})";
}
