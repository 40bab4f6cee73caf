using Higress.Hosting;
using Higress.Hosting.AccessLog;
using Higress.Hosting.Runtime;
using Higress.Hosting.Shutdown;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Serves Higress.Net in the host's request pipeline.</summary>
public static class HigressEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the gateway: requests on gateway listener ports are matched and proxied by Higress, and requests on the
    /// admin port get the admin endpoints; Higress takes both over from this point of the pipeline. Other ports
    /// pass through to the host's own endpoints.
    /// </summary>
    /// <param name="endpoints">The application (a <c>WebApplication</c>).</param>
    /// <returns>
    /// A convention builder: <c>RequireAuthorization(...)</c> and <c>AllowAnonymous()</c> on it apply to every gateway
    /// request; conventions the gateway cannot honour fail the host's start.
    /// </returns>
    public static HigressEndpointConventionBuilder MapHigress(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints is not IApplicationBuilder app)
        {
            throw new InvalidOperationException("MapHigress must be called on the WebApplication (app.MapHigress()), not inside UseEndpoints.");
        }

        var services = endpoints.ServiceProvider;
        var runtime = services.GetService<HigressRuntime>()
            ?? throw new InvalidOperationException("Higress services are missing: call builder.Services.AddHigress(...) before app.MapHigress().");
        // Listening for SIGTERM now, before the host starts, puts the drain's handler ahead of the console lifetime's.
        services.GetRequiredService<GracefulDrain>().Arm();
        var before = endpoints.DataSources.ToList();
        endpoints.MapReverseProxy(pipeline =>
        {
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });

        // YARP's endpoints are selected by the Higress matcher, never by ASP.NET routing: keep them out of the route table.
        var yarp = endpoints.DataSources.Except(before).Single();
        endpoints.DataSources.Remove(yarp);
        _ = yarp.Endpoints;
        runtime.AttachYarp(yarp);

        // The middleware is created when the host starts, after the caller added its conventions to this builder.
        var conventions = new HigressEndpointConventionBuilder(services);
        UseAccessLog(app, services);
        app.UseMiddleware<HigressMiddleware>(conventions);
        return conventions;
    }

    // Ahead of the gateway's middleware, so that its lines cover the gateway's own answers too.
    private static void UseAccessLog(IApplicationBuilder app, IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<HigressOptions>>().Value.AccessLog;
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            return;
        }

        var problems = AccessLogSettings.Validate(settings).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", problems));
        }

        app.UseMiddleware<AccessLogMiddleware>();
    }
}
