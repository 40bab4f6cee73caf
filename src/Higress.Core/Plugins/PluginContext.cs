using System.Text;
using Higress.Core.Plan;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Plugins;

/// <summary>
/// One request as the plugins see it: the <see cref="Microsoft.AspNetCore.Http.HttpContext"/>, the matched
/// rule and the state plugins share (the consumer). Created once per request by the chain and shared by the
/// request and response handlers; find it again with <see cref="Get"/>.
/// </summary>
public sealed class PluginContext
{
    /// <summary>Creates a context; the chain does this, tests of plugins may too.</summary>
    /// <param name="httpContext">The request.</param>
    /// <param name="route">The matched rule.</param>
    public PluginContext(HttpContext httpContext, RoutePlan route)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(route);
        HttpContext = httpContext;
        Route = route;
    }

    /// <summary>The request.</summary>
    public HttpContext HttpContext { get; }

    /// <summary>The matched rule.</summary>
    public RoutePlan Route { get; }

    /// <summary>
    /// The caller's identity as established by an authentication plugin (for example the key-auth consumer
    /// name), or null. Later plugins (rate limits, counters) key on it.
    /// </summary>
    public string? Consumer { get; set; }

    /// <summary>
    /// True when a plugin ended the request (<see cref="PluginResult.Respond"/>, or a failure answered 500).
    /// Response handlers can always change status and headers; a replaced body is written for local and
    /// proxied responses as long as the response has not started.
    /// </summary>
    public bool IsLocalResponse { get; internal set; }

    /// <summary>The replacement body set by <see cref="SetResponseBody(ReadOnlyMemory{byte}, string?)"/>, or null.</summary>
    public ReadOnlyMemory<byte>? ResponseBody { get; private set; }

    /// <summary>
    /// The long-lived state of the plugin instance whose handler is running (what its
    /// <see cref="IHigressPlugin.CreateState"/> returned), or null. It outlives the request and the plan, and is shared
    /// by concurrent requests: it must be thread-safe.
    /// </summary>
    public object? InstanceState { get; internal set; }

    /// <summary>How many plugins' request handlers ran; their response handlers run in reverse order.</summary>
    internal int EnteredCount { get; set; }

    /// <summary>Finds the context the chain stored for this request, or null when no plugin ran.</summary>
    /// <param name="httpContext">The request.</param>
    /// <returns>The context, or null.</returns>
    public static PluginContext? Get(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.Features.Get<PluginContext>();
    }

    /// <summary>
    /// Replaces the response body (of a local or a proxied response). The chain writes it with a matching
    /// Content-Length when the response handlers are done; the upstream body, if any, is discarded.
    /// </summary>
    /// <param name="body">The new body.</param>
    /// <param name="contentType">The content type, or null to keep the current one.</param>
    public void SetResponseBody(ReadOnlyMemory<byte> body, string? contentType = null)
    {
        ResponseBody = body;
        if (contentType is not null)
        {
            HttpContext.Response.ContentType = contentType;
        }
    }

    /// <summary>Replaces the response body with UTF-8 text.</summary>
    /// <param name="body">The new body.</param>
    /// <param name="contentType">The content type, or null to keep the current one.</param>
    public void SetResponseBody(string body, string? contentType = null) => SetResponseBody(Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>Forgets a replacement body.</summary>
    internal void ClearResponseBody() => ResponseBody = null;
}
