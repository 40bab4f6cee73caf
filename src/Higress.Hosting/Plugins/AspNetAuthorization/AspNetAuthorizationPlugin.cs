using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Hosting.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Plugins.AspNetAuthorization;

/// <summary>
/// Requires an ASP.NET Core authorization policy on a rule, evaluated with the host's own authentication handlers
/// (JwtBearer, cookies, custom) and authorization handlers, as YARP's route <c>AuthorizationPolicy</c> is. Refusals
/// are the handlers' own responses: a challenge (401 with <c>WWW-Authenticate</c>, or a cookie handler's redirect)
/// for an unauthenticated caller, a forbid (403) for an authenticated one the policy denies. An authorized user's
/// name becomes the request's consumer (<c>X-Mse-Consumer</c>) unless an authentication plugin already named one.
/// </summary>
internal sealed class AspNetAuthorizationPlugin(IServiceProvider services) : HigressPlugin<AspNetAuthorizationConfig, AspNetAuthorizationPlugin.State>
{
    private const string DefaultName = "default";
    private const string AnonymousName = "anonymous";

    private readonly Lazy<AspNetAuthorizer?> _authorizer = new(() => AspNetAuthorizer.TryCreate(services));

    /// <inheritdoc />
    public override string Name => "aspnet-authorization";

    /// <inheritdoc />
    public override PluginPhase DefaultPhase => PluginPhase.Authz;

    /// <inheritdoc />
    protected override bool RejectUnknownFields => true;

    /// <inheritdoc />
    protected override AspNetAuthorizationConfig Validate(AspNetAuthorizationConfig config, PluginConfigContext context)
    {
        var name = config.Policy.Trim();
        var kind = string.Equals(name, DefaultName, StringComparison.OrdinalIgnoreCase) ? AspNetPolicyKind.Default
            : string.Equals(name, AnonymousName, StringComparison.OrdinalIgnoreCase) ? AspNetPolicyKind.Anonymous
            : AspNetPolicyKind.Named;
        if (_authorizer.Value is not { } authorizer || (kind != AspNetPolicyKind.Anonymous && !authorizer.CanRefuse))
        {
            context.AddError("policy", "needs ASP.NET Core's authentication and authorization services, which the host did not register", AspNetAuthorizer.MissingServicesFix);
            return config;
        }

        // Policies live in the host's DI, not in the config: the name is checked whenever a config is read, so that
        // a typo is an error on this field (and the rule fails closed) rather than a 500 on every request.
        var registered = authorizer.Policies.GetPolicyAsync(name).GetAwaiter().GetResult();
        if (kind == AspNetPolicyKind.Named && registered is null)
        {
            context.AddError("policy", $"no ASP.NET Core authorization policy named '{name}' is registered",
                $"add it with builder.Services.AddAuthorization(o => o.AddPolicy(\"{name}\", ...)), or use '{DefaultName}' or '{AnonymousName}'");
        }
        else if (kind != AspNetPolicyKind.Named && registered is not null)
        {
            context.AddError("policy", $"'{name}' is reserved (the host's {name} policy), but the host also registered a policy named '{name}'",
                "rename the registered policy; it cannot be reached from a route");
        }

        return config with { Policy = name, Kind = kind };
    }

    /// <inheritdoc />
    public override State CreateState(AspNetAuthorizationConfig config)
    {
        var authorizer = _authorizer.Value ?? throw new InvalidOperationException($"aspnet-authorization: {AspNetAuthorizer.MissingServicesFix}.");
        var state = new State(authorizer, config);
        if (config.Kind != AspNetPolicyKind.Anonymous && authorizer.Policies.AllowsCachingPolicies)
        {
            state.Cached = state.ResolveAsync().AsTask().GetAwaiter().GetResult();
        }

        return state;
    }

    /// <inheritdoc />
    public override async ValueTask<PluginResult> OnRequestAsync(PluginContext context, AspNetAuthorizationConfig config, State state)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var anonymous = config.Kind == AspNetPolicyKind.Anonymous;
        var policy = anonymous ? null : state.Cached ?? await state.ResolveAsync().ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the ASP.NET Core authorization policy '{config.Policy}' is no longer registered");
        if (!await state.Authorizer.AuthorizeAsync(http, policy, anonymous, context.Route.Id).ConfigureAwait(false))
        {
            // The handlers set the refusal (401, 403, 302); a result handler that set nothing still refuses.
            var status = http.Response.StatusCode;
            return PluginResult.Respond(status >= 300 ? status : StatusCodes.Status403Forbidden);
        }

        if (context.Consumer is null && http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } user })
        {
            context.Consumer = user;
        }

        return PluginResult.Continue;
    }

    /// <summary>One instance's authorizer and, when the host's policies never change, its resolved policy.</summary>
    internal sealed class State(AspNetAuthorizer authorizer, AspNetAuthorizationConfig config)
    {
        public AspNetAuthorizer Authorizer { get; } = authorizer;

        public AuthorizationPolicy? Cached { get; set; }

        public ValueTask<AuthorizationPolicy?> ResolveAsync() => config.Kind == AspNetPolicyKind.Default
            ? new(Authorizer.Policies.GetDefaultPolicyAsync()!)
            : new(Authorizer.Policies.GetPolicyAsync(config.Policy));
    }
}
