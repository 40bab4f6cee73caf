using Higress.Core.Routing;

namespace Higress.Benchmarks;

/// <summary>A request for the matcher with at most one header; a struct, as the runtime's view of HttpContext is.</summary>
public readonly struct BenchRequest(string path, string host = BenchWorkload.PlainHost, string? headerName = null, string? headerValue = null) : IRouteRequest
{
    public int LocalPort => 8080;

    public string Host { get; } = host;

    public string Path { get; } = path;

    public string Method => "GET";

    public string QueryString => string.Empty;

    public bool TryGetHeader(string name, out string value)
    {
        if (headerName is not null && string.Equals(name, headerName, StringComparison.OrdinalIgnoreCase))
        {
            value = headerValue ?? string.Empty;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
