using System.Net;
using System.Security.Cryptography;
using System.Text;
using Higress.Core.Plugins;
using Higress.Hosting.Listeners;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Higress.Hosting.Admin;

/// <summary>
/// The management endpoints: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/stats</c>, <c>/config_dump</c>,
/// <c>/routes</c> and <c>/clusters</c>. They answer
/// only for connections that arrived on <c>Higress:Admin:Port</c> (the local port, not the Host header), so they are
/// never reachable through a gateway listener or the host's own ports, whatever the client sends.
/// Against DNS rebinding (a web page whose name resolves to 127.0.0.1 reading the admin port) they accept only Host
/// values that are an IP address, <c>localhost</c> or a name in <c>Higress:Admin:AllowedHosts</c>; with
/// <c>Higress:Admin:Token</c> set, all but the probes (<c>/healthz</c>, <c>/readyz</c>) also need the bearer token.
/// </summary>
internal sealed class AdminEndpoints(HigressRuntime runtime, HigressConfigurationLoop loop, ListenerManager listeners, PrometheusText metrics, IOptions<HigressOptions> options, IHostApplicationLifetime lifetime, IProxyStateLookup proxy, PluginRuntimeReports pluginReports)
{
    private readonly HashSet<string> _allowedHosts = new(options.Value.Admin.AllowedHosts ?? [], StringComparer.OrdinalIgnoreCase);
    private readonly byte[]? _tokenHash = string.IsNullOrEmpty(options.Value.Admin.Token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Admin.Token));

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (!IsAllowedHost(request.Host.Host))
        {
            await LocalResponse.WriteAsync(context, StatusCodes.Status403Forbidden, "this Host is not accepted on the admin port: use an IP address or localhost, or add the name to Higress:Admin:AllowedHosts\n");
            return;
        }

        var path = request.Path.Value;
        if (_tokenHash is not null && path is not ("/healthz" or "/readyz") && !HasToken(request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await LocalResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, "send Authorization: Bearer <Higress:Admin:Token>\n");
            return;
        }

        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            await LocalResponse.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "use GET\n");
            return;
        }

        switch (path)
        {
            case "/healthz":
                await LocalResponse.WriteAsync(context, StatusCodes.Status200OK, "ok\n");
                return;
            case "/readyz":
                var (ready, reason) = Readiness();
                await LocalResponse.WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, reason);
                return;
            case "/config_dump":
                StartJson(context);
                await ConfigDump.WriteAsync(context.Response.Body, runtime, listeners.Endpoints(), ConfigDumpFilter.From(request.Query), context.RequestAborted, pluginReports);
                await context.Response.WriteAsync("\n", context.RequestAborted);
                return;
            case "/routes":
                StartJson(context);
                await RouteListing.WriteAsync(context.Response.Body, runtime.Current, context.RequestAborted);
                return;
            case "/clusters":
                StartJson(context);
                await ClusterListing.WriteAsync(context.Response.Body, runtime.Current, proxy, context.RequestAborted);
                return;
            case "/stats":
                StartJson(context);
                await StatsJson.WriteAsync(context.Response.Body, metrics, context.RequestAborted);
                return;
            case "/metrics":
                await LocalResponse.WriteAsync(context, StatusCodes.Status200OK, metrics.Render(), null, null, "text/plain; version=0.0.4; charset=utf-8");
                return;
            default:
                await LocalResponse.WriteAsync(context, StatusCodes.Status404NotFound, "admin endpoints: /healthz /readyz /metrics /stats /config_dump /routes /clusters\n");
                return;
        }
    }

    private static void StartJson(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
    }

    private (bool Ready, string Body) Readiness()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return (false, "not ready: draining, the host is shutting down\n");
        }

        if (!runtime.HasAppliedPlan)
        {
            return (false, "not ready: no configuration applied yet\n");
        }

        if (!loop.SourcesSynced)
        {
            return (false, $"not ready: waiting for the first complete read of: {string.Join(", ", loop.UnsyncedSources)} (then a plan with it)\n");
        }

        var closed = listeners.Endpoints().Where(e => e.State != ListenerEndpointState.Open).ToList();
        if (closed.Count == 0)
        {
            return (true, "ready\n");
        }

        var lines = closed.Select(e => e.State == ListenerEndpointState.Failed
            ? $"{e.Endpoint.Url} ({e.Endpoint.Owners}) failed: {e.Reason}\n"
            : $"{e.Endpoint.Url} ({e.Endpoint.Owners}) is opening\n");
        return (false, "not ready: not every listener is open\n" + string.Concat(lines));
    }

    private bool IsAllowedHost(string host) =>
        host.Length == 0
        || IPAddress.TryParse(host.Trim('[', ']'), out _)
        || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || _allowedHosts.Contains(host);

    private bool HasToken(HttpRequest request)
    {
        const string scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time in the length of the token too.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash);
    }
}
