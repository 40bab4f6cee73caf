using Higress.Core.Routing;

namespace Higress.Core.Tests.Routing;

/// <summary>A request for the routing code in tests: headers given by name, everything else fixed.</summary>
internal sealed class TestRouteRequest(params (string Name, string Value)[] headers) : IRouteRequest
{
    public static readonly TestRouteRequest Empty = new();

    public int LocalPort => 80;

    public string Host => "example.com";

    public string Path => "/";

    public string Method => "GET";

    public string QueryString => string.Empty;

    public bool TryGetHeader(string name, out string value)
    {
        foreach (var (key, v) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = v;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }
}
