namespace Higress.Core.Explain;

/// <summary>A request to explain: what a client would send to a listener.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">An absolute URL; its port selects the listener (80 for http and 443 for https when absent), its host is the Host header.</param>
public sealed record ExplainRequest(string Method, string Url)
{
    /// <summary>Request headers (names are case-insensitive).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>A GET request.</summary>
    public static ExplainRequest Get(string url) => new("GET", url);

    /// <summary>Returns a copy with one more header.</summary>
    public ExplainRequest WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers, StringComparer.OrdinalIgnoreCase) { [name] = value } };
}
