using Higress.Core.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Authorization;

/// <summary>
/// The authorization that <c>MapHigress()</c> conventions (<c>RequireAuthorization</c>, <c>AllowAnonymous</c>) put on
/// every gateway request, built once when the host starts. Metadata the gateway cannot honour is a startup error.
/// </summary>
internal sealed partial class GatewayAuthorization
{
    private readonly AspNetAuthorizer _authorizer;
    private readonly IAuthorizeData[] _authorizeData;
    private readonly AuthorizationPolicy[] _policies;
    private readonly bool _allowAnonymous;
    private readonly AuthorizationPolicy? _cached;

    private GatewayAuthorization(AspNetAuthorizer authorizer, IAuthorizeData[] authorizeData, AuthorizationPolicy[] policies, bool allowAnonymous)
    {
        _authorizer = authorizer;
        _authorizeData = authorizeData;
        _policies = policies;
        _allowAnonymous = allowAnonymous;

        // As ASP.NET Core caches an endpoint's combined policy: only when the provider says its policies never change.
        if (authorizer.Policies.AllowsCachingPolicies)
        {
            _cached = Combine().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Evaluates the conventions' metadata; null when there are none (the gateway then adds no authorization).
    /// </summary>
    /// <exception cref="InvalidOperationException">A convention cannot be honoured, a named policy does not exist, or authorization services are missing.</exception>
    public static GatewayAuthorization? Create(HigressEndpointConventionBuilder conventions, IServiceProvider services, ILogger logger)
    {
        var metadata = conventions.BuildMetadata();
        if (metadata.Count == 0)
        {
            return null;
        }

        var authorizeData = new List<IAuthorizeData>();
        var policies = new List<AuthorizationPolicy>();
        var allowAnonymous = false;
        foreach (var item in metadata)
        {
            // One item may be both (an [Authorize]-like attribute that also allows anonymous); honour each role it has.
            var known = false;
            if (item is IAuthorizeData data)
            {
                authorizeData.Add(data);
                known = true;
            }

            if (item is AuthorizationPolicy policy)
            {
                policies.Add(policy);
                known = true;
            }

            if (item is IAllowAnonymous)
            {
                allowAnonymous = true;
                known = true;
            }

            if (!known)
            {
                throw new InvalidOperationException(Unsupported(item.GetType()));
            }
        }

        var authorizer = AspNetAuthorizer.TryCreate(services) ?? throw new InvalidOperationException(
            $"MapHigress().RequireAuthorization(...) and AllowAnonymous() need ASP.NET Core's authorization services: {AspNetAuthorizer.MissingServicesFix}.");
        if (authorizeData.Count + policies.Count > 0 && !authorizer.CanRefuse)
        {
            throw new InvalidOperationException(
                $"MapHigress().RequireAuthorization(...) needs ASP.NET Core's authentication services to challenge (401) and forbid (403): {AspNetAuthorizer.MissingServicesFix}.");
        }

        foreach (var data in authorizeData)
        {
            if (!string.IsNullOrEmpty(data.Policy) && authorizer.Policies.GetPolicyAsync(data.Policy).GetAwaiter().GetResult() is null)
            {
                throw new InvalidOperationException(
                    $"MapHigress().RequireAuthorization(\"{data.Policy}\"): no ASP.NET Core authorization policy named '{data.Policy}' is registered; add it with builder.Services.AddAuthorization(o => o.AddPolicy(\"{data.Policy}\", ...)).");
            }
        }

        Log.Enabled(logger, authorizeData.Count + policies.Count, allowAnonymous);
        return new GatewayAuthorization(authorizer, [.. authorizeData], [.. policies], allowAnonymous);
    }

    /// <summary>Authorizes one gateway request; false when the response (401, 403, redirect) has been set.</summary>
    public ValueTask<bool> AuthorizeAsync(HttpContext context) =>
        _cached is not null || _authorizer.Policies.AllowsCachingPolicies
            ? _authorizer.AuthorizeAsync(context, _cached, _allowAnonymous, "MapHigress()")
            : AuthorizeUncachedAsync(context);

    private async ValueTask<bool> AuthorizeUncachedAsync(HttpContext context) =>
        await _authorizer.AuthorizeAsync(context, await Combine().ConfigureAwait(false), _allowAnonymous, "MapHigress()").ConfigureAwait(false);

    private ValueTask<AuthorizationPolicy?> Combine() =>
        new(AuthorizationPolicy.CombineAsync(_authorizer.Policies, _authorizeData, _policies));

    private static string Unsupported(Type metadata)
    {
        var name = metadata.Name;
        var (convention, instead) =
            name.Contains("Cors", StringComparison.Ordinal) ? ("RequireCors", "use a Route's corsPolicy or the cors plugin")
            : name.Contains("RateLimit", StringComparison.Ordinal) ? ("RequireRateLimiting", "use a Route's rateLimit or a rate-limit plugin")
            : name.Contains("OutputCache", StringComparison.Ordinal) ? ("CacheOutput", "cache in the backend or in a plugin")
            : name.Contains("RequestTimeout", StringComparison.Ordinal) ? ("WithRequestTimeout", "use a Route rule's timeout")
            : ("a convention", "remove it");
        return $"MapHigress(): {convention} added endpoint metadata {metadata.FullName}, which the gateway cannot honour "
            + "(gateway requests are matched by Higress's route table, not by ASP.NET Core routing, so it would be silently ignored). "
            + $"Only RequireAuthorization(...) and AllowAnonymous() apply to gateway traffic; {instead}.";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.GatewayAuthorizationEnabled, Level = LogLevel.Information, Message = "MapHigress() conventions authorize every gateway request ({Count} authorization items, AllowAnonymous: {AllowAnonymous}).")]
        public static partial void Enabled(ILogger logger, int count, bool allowAnonymous);
    }
}
