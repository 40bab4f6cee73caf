using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// What <see cref="HigressEndpointRouteBuilderExtensions.MapHigress"/> returns. Endpoint conventions added here apply
/// to every request on a gateway listener, before it is matched: <c>RequireAuthorization(...)</c> and
/// <c>AllowAnonymous()</c> are evaluated as ASP.NET Core's authorization middleware evaluates an endpoint's metadata
/// (the user's authentication handlers challenge with 401 or forbid with 403, and nothing is forwarded). Gateway
/// traffic is not routed by ASP.NET Core, so conventions whose metadata the gateway cannot honour (CORS, rate
/// limiting, output caching, ...) fail the host's start instead of being silently ignored; configure those on the
/// routes (plugins) instead.
/// </summary>
public sealed class HigressEndpointConventionBuilder : IEndpointConventionBuilder
{
    private readonly List<Action<EndpointBuilder>> _conventions = [];
    private readonly List<Action<EndpointBuilder>> _finallyConventions = [];
    private readonly IServiceProvider _services;

    internal HigressEndpointConventionBuilder(IServiceProvider services)
    {
        _services = services;
    }

    /// <inheritdoc />
    public void Add(Action<EndpointBuilder> convention)
    {
        ArgumentNullException.ThrowIfNull(convention);
        _conventions.Add(convention);
    }

    /// <inheritdoc />
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ArgumentNullException.ThrowIfNull(finallyConvention);
        _finallyConventions.Add(finallyConvention);
    }

    /// <summary>Runs the conventions on one builder, as ASP.NET Core does for an endpoint, and returns its metadata.</summary>
    internal IReadOnlyList<object> BuildMetadata()
    {
        var builder = new RouteEndpointBuilder(requestDelegate: null, RoutePatternFactory.Parse("/"), order: 0)
        {
            ApplicationServices = _services,
            DisplayName = "Higress gateway",
        };
        foreach (var convention in _conventions)
        {
            convention(builder);
        }

        foreach (var convention in _finallyConventions)
        {
            convention(builder);
        }

        return [.. builder.Metadata];
    }
}
