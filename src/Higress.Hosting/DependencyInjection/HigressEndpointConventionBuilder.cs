namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// What <see cref="HigressEndpointRouteBuilderExtensions.MapHigress"/> returns: the handle on which Higress-specific
/// options of the mapped gateway will chain. It deliberately offers no ASP.NET Core endpoint conventions
/// (authorization, CORS, rate-limiting metadata): gateway traffic is matched by Higress's own route table, not by
/// ASP.NET Core routing, so such conventions would never run. Gateway policies are configured on the resources
/// (routes and extensions) instead.
/// </summary>
public sealed class HigressEndpointConventionBuilder
{
    internal HigressEndpointConventionBuilder()
    {
    }
}
