using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.Cors;

/// <summary>
/// Higress's <c>cors</c> plugin, and the engine of the native Route <c>corsPolicy</c> and the HTTPRoute <c>CORS</c>
/// filter (both translate into a binding of this plugin). Preflights are answered by the gateway and never forwarded;
/// a cross-origin request that is not allowed gets 403 <c>Invalid CORS request</c> and no CORS headers; an allowed one
/// is forwarded and its response gets the CORS headers.
/// </summary>
internal sealed class CorsPlugin : HigressPlugin<CorsConfig>
{
    /// <summary>The plugin's name.</summary>
    public const string PluginName = "cors";

    /// <summary>Higress's body of the 403.</summary>
    public const string RejectedMessage = "Invalid CORS request";

    private const long DefaultMaxAge = 86400;

    private static readonly string[] DefaultMethods = ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"];

    private static readonly string[] DefaultHeaders =
        ["DNT", "X-CustomHeader", "Keep-Alive", "User-Agent", "X-Requested-With", "If-Modified-Since", "Cache-Control", "Content-Type", "Authorization"];

    public override string Name => PluginName;

    // Higress runs cors in AUTHZ (priority 340), after authentication; but a browser's preflight never carries
    // credentials, so behind key-auth or jwt-auth every preflight would get 401. It runs first in AUTHN instead.
    public override PluginPhase DefaultPhase => PluginPhase.Authn;

    public override int DefaultPriority => 1000;

    protected override bool RejectUnknownFields => true;

    protected override CorsConfig Validate(CorsConfig config, PluginConfigContext context)
    {
        var origins = CorsOrigins.Exact(config.AllowOrigins, context);
        var matchers = CorsOrigins.Patterns(config.AllowOriginPatterns, origins, context);
        CorsOrigins.Expressions(config.AllowOriginRegex, matchers, context);
        var credentials = config.AllowCredentials;
        if (credentials && config.AllowOrigins.Contains("*"))
        {
            // Higress keeps allow_origins '*' and drops the credentials.
            context.AddWarning("allow_credentials", "is ignored because allow_origins contains '*'", "list the allowed origins, or use allow_origin_patterns: ['*'] to allow every origin with credentials");
            credentials = false;
        }

        if (origins.Count == 0 && matchers.Count == 0 && config.AllowOriginRegex.IsEmpty && !credentials)
        {
            origins.Add("*");
        }

        var methods = Tokens(config.AllowMethods, "allow_methods", "a method such as GET", context, upper: true);
        var headers = Tokens(config.AllowHeaders, "allow_headers", "a header name such as Content-Type", context, upper: false);
        var expose = Tokens(config.ExposeHeaders, "expose_headers", "a header name such as X-Request-Id", context, upper: false);
        if (config.MaxAge < 0)
        {
            context.AddError("max_age", $"{config.MaxAge} is negative", "give the preflight cache time in seconds, e.g. 7200 (0 means the default 86400)");
        }

        var engine = new CorsEngine(
            origins,
            matchers,
            methods.Count == 0 ? DefaultMethods : Star(methods),
            headers.Count == 0 ? DefaultHeaders : Star(headers),
            Star(expose),
            credentials,
            config.MaxAge > 0 ? config.MaxAge : DefaultMaxAge);
        return config with { Engine = engine };
    }

    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, CorsConfig config)
    {
        var result = config.Engine.Evaluate(context.HttpContext.Request) switch
        {
            CorsVerdict.Rejected => PluginResult.Respond(403, RejectedMessage, "text/plain"),
            CorsVerdict.Preflight => PluginResult.Respond(200),
            _ => PluginResult.Continue,
        };
        return new ValueTask<PluginResult>(result);
    }

    // Headers are written here for every outcome (upstream answers, this plugin's preflight answer, a later plugin's
    // 401), so that the browser can read an allowed origin's errors too.
    public override ValueTask OnResponseAsync(PluginContext context, CorsConfig config)
    {
        var http = context.HttpContext;
        if (!http.Response.HasStarted)
        {
            var engine = config.Engine;
            engine.WriteHeaders(http.Request, http.Response.Headers, engine.Evaluate(http.Request));
        }

        return default;
    }

    // '*' alone stands for everything, as in Higress, whatever else the list holds.
    private static IReadOnlyList<string> Star(List<string> values) => values.Contains("*") ? ["*"] : values;

    private static List<string> Tokens(IReadOnlyList<string> values, string field, string example, PluginConfigContext context, bool upper)
    {
        var result = new List<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i].Trim();
            if (value.Length == 0 || (value != "*" && !IsToken(value)))
            {
                context.AddError($"{field}[{i}]", $"'{values[i]}' is not a valid name", $"write {example}, or '*' for all");
                continue;
            }

            result.Add(upper ? value.ToUpperInvariant() : value);
        }

        return result;
    }

    private static bool IsToken(string value)
    {
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
