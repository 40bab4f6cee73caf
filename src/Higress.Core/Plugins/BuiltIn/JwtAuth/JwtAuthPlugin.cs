using System.Text.Json;
using Higress.Core.Diagnostics;
using Higress.Core.Plugins.BuiltIn.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>
/// Higress's <c>jwt-auth</c>: recognises a consumer by a JSON Web Token verified against the consumer's key set
/// (inline <c>jwks</c>, or fetched from <c>jwks_uri</c>). The seed's shape (<c>jwt: {issuer, jwks_uri, audiences}</c>)
/// is one anonymous issuer whose consumer is the token's <c>sub</c>.
/// </summary>
internal sealed partial class JwtAuthPlugin : AuthPlugin<JwtAuthConfig, JwtAuthState>
{
    public const string PluginName = "jwt-auth";

    private const string Realm = "JWT realm=MSE Gateway";
    private const string Prefix = "Request denied by JWT Auth check. ";

    private readonly IHttpClientFactory _httpClients;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public JwtAuthPlugin(IHttpClientFactory httpClients, TimeProvider time, ILogger<JwtAuthPlugin> logger)
    {
        _httpClients = httpClients;
        _time = time;
        _logger = logger;
    }

    public override string Name => PluginName;

    // Higress's jwt-auth runs in AUTHN at priority 340.
    public override int DefaultPriority => 340;

    /// <summary>Accepts the seed's <c>{jwt: {...}}</c> wrapper too when <c>spec.plugin</c> names jwt-auth.</summary>
    public override JwtAuthConfig ParseConfig(JsonElement config, PluginConfigContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (config.ValueKind != JsonValueKind.Object || !config.TryGetProperty("jwt", out var inner) || CountProperties(config) != 1)
        {
            return base.ParseConfig(config, context);
        }

        var unwrapped = context.Nested();
        var parsed = base.ParseConfig(inner, unwrapped);
        foreach (var error in unwrapped.Errors)
        {
            context.AddError(JoinPath("jwt", error.FieldPath), error.Message, error.Fix);
        }

        foreach (var warning in unwrapped.Warnings)
        {
            context.AddWarning(JoinPath("jwt", warning.FieldPath), warning.Message, warning.Fix);
        }

        return parsed;
    }

    protected override JwtAuthConfig ValidateAuth(JwtAuthConfig config, PluginConfigContext context) => JwtAuthValidator.Validate(config, context);

    protected override bool HasConsumers(JwtAuthConfig config) => !config.Consumers.IsEmpty || config.JwksUri is not null;

    public override JwtAuthState CreateState(JwtAuthConfig config)
    {
        var remotes = new Dictionary<string, RemoteJwks>(StringComparer.Ordinal);
        var verifiers = new List<JwtVerifier>(config.Consumers.Count + 1);
        foreach (var consumer in JwtAuthValidator.AllConsumers(config))
        {
            JwtKeys? staticKeys = null;
            RemoteJwks? remote = null;
            if (consumer.JwksUri is { } uri)
            {
                if (!remotes.TryGetValue(uri, out remote))
                {
                    remote = new RemoteJwks(new Uri(uri), _httpClients, _time, _logger);
                    remotes.Add(uri, remote);
                }
            }
            else if (consumer.Jwks is null || !JwtKeys.TryParse(consumer.Jwks, out staticKeys, out _))
            {
                continue; // Validation refused this config already; a hand-built config gets no consumer.
            }

            verifiers.Add(new JwtVerifier(consumer, staticKeys, remote));
        }

        return new JwtAuthState([.. verifiers], [.. remotes.Values]);
    }

    protected override async ValueTask<AuthOutcome> AuthenticateAsync(PluginContext context, JwtAuthConfig config, JwtAuthState state)
    {
        var request = context.HttpContext.Request;
        var verdict = JwtVerdict.Missing;
        string? lastText = null;
        JsonWebToken? parsed = null;
        foreach (var verifier in state.Verifiers)
        {
            var text = verifier.Reader.Read(request, out var location);
            if (text is null)
            {
                continue;
            }

            var token = verifier.FindVerified(text);
            if (token is null)
            {
                // Consumers usually read the same place: parse a token once per request.
                if (!ReferenceEquals(text, lastText) && text != lastText)
                {
                    lastText = text;
                    parsed = Parse(text);
                }

                if (parsed is null)
                {
                    verdict = Max(verdict, JwtVerdict.Invalid);
                    continue;
                }

                (var outcome, token) = await verifier.VerifyAsync(parsed, context.HttpContext.RequestAborted).ConfigureAwait(false);
                if (outcome != JwtVerdict.Valid)
                {
                    verdict = Max(verdict, outcome);
                    continue;
                }
            }

            var consumer = verifier.Name.Length > 0 ? verifier.Name : token!.Subject;
            if (string.IsNullOrEmpty(consumer))
            {
                Log.NoSubject(_logger, context.Route.Id);
                verdict = Max(verdict, JwtVerdict.Invalid);
                continue;
            }

            verifier.CopyClaims(token!, request);
            if (!verifier.KeepToken)
            {
                JwtTokenReader.Remove(request, location);
            }

            return AuthOutcome.Authenticated(consumer);
        }

        Log.Refused(_logger, context.Route.Id, verdict);
        return AuthOutcome.Denied(Deny(context, 401, verdict switch
        {
            JwtVerdict.Missing => "JWT is missing.",
            JwtVerdict.Expired => "JWT is expired.",
            _ => "JWT verification fails",
        }));
    }

    protected override PluginResult Forbidden(PluginContext context) => Deny(context, 403, "Unauthorized consumer.");

    private static PluginResult Deny(PluginContext context, int status, string reason)
    {
        context.HttpContext.Response.Headers.WWWAuthenticate = Realm;
        return PluginResult.Respond(status, Prefix + reason, "text/plain; charset=utf-8");
    }

    private static JsonWebToken? Parse(string text)
    {
        try
        {
            return new JsonWebToken(text);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static JwtVerdict Max(JwtVerdict a, JwtVerdict b) => a > b ? a : b;

    private static int CountProperties(JsonElement element)
    {
        var count = 0;
        foreach (var _ in element.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    private static string JoinPath(string prefix, string path) => path.Length == 0 ? prefix : path[0] == '[' ? prefix + path : prefix + "." + path;

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.JwtRefused, Level = LogLevel.Debug, Message = "jwt-auth on route {Route}: request refused ({Verdict})")]
        public static partial void Refused(ILogger logger, string route, JwtVerdict verdict);

        [LoggerMessage(EventId = EventIds.JwtNoSubject, Level = LogLevel.Debug, Message = "jwt-auth on route {Route}: a valid token of the issuer without a consumer name has no 'sub' claim")]
        public static partial void NoSubject(ILogger logger, string route);
    }
}
