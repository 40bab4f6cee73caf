using System.Security.Claims;
using Higress.Core.Diagnostics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Authorization;

/// <summary>
/// Evaluates an ASP.NET Core <see cref="AuthorizationPolicy"/> on a gateway request the way ASP.NET Core's
/// <c>AuthorizationMiddleware</c> evaluates an endpoint's: authenticate with the policy's schemes (or the default
/// scheme), authorize, then let the host's <see cref="IAuthorizationMiddlewareResultHandler"/> challenge (401),
/// forbid (403) or let the request through. One place for both users of it: <c>MapHigress()</c> conventions and the
/// <c>aspnet-authorization</c> plugin.
/// </summary>
internal sealed partial class AspNetAuthorizer
{
    private readonly IPolicyEvaluator _evaluator;
    private readonly IAuthorizationMiddlewareResultHandler _resultHandler;
    private readonly IAuthenticationSchemeProvider? _schemes;
    private readonly ILogger _logger;

    private AspNetAuthorizer(IPolicyEvaluator evaluator, IAuthorizationMiddlewareResultHandler resultHandler, IAuthorizationPolicyProvider policies, IAuthenticationSchemeProvider? schemes, ILogger logger)
    {
        _evaluator = evaluator;
        _resultHandler = resultHandler;
        Policies = policies;
        _schemes = schemes;
        _logger = logger;
    }

    /// <summary>
    /// True when the host registered authentication (<c>AddAuthentication</c>): without it a refusal cannot be
    /// answered, since challenge and forbid are the authentication handlers' job.
    /// </summary>
    public bool CanRefuse { get; private init; }

    /// <summary>The host's policies (named, default and fallback).</summary>
    public IAuthorizationPolicyProvider Policies { get; }

    /// <summary>The fix to print when the host registered no authorization services.</summary>
    public const string MissingServicesFix = "call builder.Services.AddAuthentication(...) with the handlers that authenticate, challenge and forbid, and AddAuthorization(...) for the policies";

    /// <summary>Creates the authorizer from the host's services, or returns null when authorization is not registered.</summary>
    public static AspNetAuthorizer? TryCreate(IServiceProvider services)
    {
        var evaluator = services.GetService<IPolicyEvaluator>();
        var resultHandler = services.GetService<IAuthorizationMiddlewareResultHandler>();
        var policies = services.GetService<IAuthorizationPolicyProvider>();
        if (evaluator is null || resultHandler is null || policies is null)
        {
            return null;
        }

        var logger = (ILogger?)services.GetService<ILoggerFactory>()?.CreateLogger<AspNetAuthorizer>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        return new AspNetAuthorizer(evaluator, resultHandler, policies, services.GetService<IAuthenticationSchemeProvider>(), logger)
        {
            CanRefuse = services.GetService<IAuthenticationService>() is not null,
        };
    }

    /// <summary>
    /// Authenticates and authorizes <paramref name="context"/> against <paramref name="policy"/>. When refused, the
    /// handlers have set the response (401 with <c>WWW-Authenticate</c>, 403, or a cookie handler's redirect).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="policy">The policy; null lets the request through (nothing to enforce).</param>
    /// <param name="allowAnonymous">True to authenticate (so that the user is known) without requiring anything.</param>
    /// <param name="where">What asked, for the log (e.g. the rule's id).</param>
    /// <returns>True when the request may go on.</returns>
    public async ValueTask<bool> AuthorizeAsync(HttpContext context, AuthorizationPolicy? policy, bool allowAnonymous, string where)
    {
        if (policy is null)
        {
            return true;
        }

        await AuthenticateByDefaultAsync(context).ConfigureAwait(false);
        var authenticated = await _evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
        if (authenticated.Succeeded)
        {
            // As AuthorizationMiddleware does: later code (and the handlers' Forbid) sees the result of these schemes.
            var feature = new AuthenticatedFeature(authenticated);
            context.Features.Set<IAuthenticateResultFeature>(feature);
            context.Features.Set<IHttpAuthenticationFeature>(feature);
        }

        if (allowAnonymous)
        {
            return true;
        }

        var result = await _evaluator.AuthorizeAsync(policy, authenticated, context, context).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return true;
        }

        var passed = false;
        await _resultHandler.HandleAsync(_ => { passed = true; return Task.CompletedTask; }, context, policy, result).ConfigureAwait(false);
        if (!passed)
        {
            Log.Refused(_logger, where, result.Challenged ? "challenged" : "forbidden", context.Response.StatusCode);
        }

        return passed;
    }

    // The host's authentication middleware normally ran before the gateway; a host without it still gets the
    // default scheme's user, as an endpoint would.
    private async ValueTask AuthenticateByDefaultAsync(HttpContext context)
    {
        if (_schemes is null || context.Features.Get<IAuthenticationFeature>() is not null || context.User.Identity?.IsAuthenticated == true)
        {
            return;
        }

        if (await _schemes.GetDefaultAuthenticateSchemeAsync().ConfigureAwait(false) is { } scheme)
        {
            var result = await context.AuthenticateAsync(scheme.Name).ConfigureAwait(false);
            if (result.Principal is { } principal)
            {
                context.User = principal;
            }
        }
    }

    private sealed class AuthenticatedFeature(AuthenticateResult result) : IAuthenticateResultFeature, IHttpAuthenticationFeature
    {
        public AuthenticateResult? AuthenticateResult { get; set; } = result;

        public ClaimsPrincipal? User
        {
            get => AuthenticateResult?.Principal;
            set => AuthenticateResult = value is null ? null : AuthenticateResult.Success(new AuthenticationTicket(value, "Higress"));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.AspNetAuthorizationRefused, Level = LogLevel.Debug, Message = "ASP.NET Core authorization refused a request on {Where}: {Outcome} ({Status}).")]
        public static partial void Refused(ILogger logger, string where, string outcome, int status);
    }
}
