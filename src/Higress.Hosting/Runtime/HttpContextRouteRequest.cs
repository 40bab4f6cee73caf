using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Runtime;

/// <summary>The matcher's view of an <see cref="HttpContext"/>; a struct, so matching does not allocate.</summary>
internal readonly struct HttpContextRouteRequest(HttpContext context, int localPort) : IRouteRequest
{
    public int LocalPort { get; } = localPort;

    public string? LocalAddress => context.Connection.LocalIpAddress?.ToString();

    public string Host => context.Request.Host.Value ?? string.Empty;

    public string Path => context.Request.Path.Value ?? "/";

    public string Method => context.Request.Method;

    public string QueryString => context.Request.QueryString.Value ?? string.Empty;

    public bool TryGetHeader(string name, out string value)
    {
        if (context.Request.Headers.TryGetValue(name, out var values) && values.Count > 0)
        {
            value = values.Count == 1 ? values[0] ?? string.Empty : values.ToString();
            return true;
        }

        value = string.Empty;
        return false;
    }
}
