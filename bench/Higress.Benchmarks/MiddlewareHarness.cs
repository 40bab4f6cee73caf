using System.Reflection;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Benchmarks;

/// <summary>
/// <see cref="HigressMiddleware"/> on a real applied plan with the YARP endpoints replaced by ones that return at once,
/// so that a benchmark measures Higress's own work on a request (match, plugins, backend pick, endpoint hand-over) and
/// not forwarding.
/// </summary>
internal sealed class MiddlewareHarness
{
    private MiddlewareHarness(HigressMiddleware middleware, Endpoint stub)
    {
        Middleware = middleware;
        Stub = stub;
    }

    public HigressMiddleware Middleware { get; }

    /// <summary>The endpoint every cluster hands over to.</summary>
    public Endpoint Stub { get; }

    public static MiddlewareHarness Create(ReloadHost host)
    {
        var runtime = host.Runtime;
        var state = runtime.Current;
        var stub = new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "stub");
        var endpoints = state.ClusterEndpoints.ToDictionary(e => e.Key, _ => stub, StringComparer.Ordinal);

        // The runtime only takes plans; swapping its state is the one way to keep YARP out of the measurement.
        typeof(HigressRuntime).GetField("_current", BindingFlags.Instance | BindingFlags.NonPublic)!
            .SetValue(runtime, new RuntimeState(state.Translation, state.Table, endpoints, state.Routes));
        RequestDelegate next = _ => throw new InvalidOperationException("not a gateway port");
        return new MiddlewareHarness(ActivatorUtilities.CreateInstance<HigressMiddleware>(host.Services, next, new Microsoft.AspNetCore.Builder.HigressEndpointConventionBuilder(host.Services)), stub);
    }

    /// <summary>A GET on the gateway listener (port 8080).</summary>
    public static DefaultHttpContext Request(string path, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.LocalPort = 8080;
        context.Request.Method = "GET";
        context.Request.Host = new HostString("127.0.0.1:8080");
        context.Request.Path = path;
        // The gateway normalizes from the raw target, as Kestrel hands it over.
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = path;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }

        return context;
    }

    /// <summary>Sends <paramref name="context"/> once and throws unless it reached the cluster endpoint.</summary>
    public void EnsureForwarded(HttpContext context)
    {
        var task = Middleware.InvokeAsync(context);
        if (!task.IsCompleted || task.IsFaulted || context.GetEndpoint() != Stub)
        {
            throw new InvalidOperationException($"{context.Request.Path} was not routed to the cluster endpoint (status {context.Response.StatusCode})");
        }
    }
}
