using System.Security.Cryptography;
using System.Text;
using Higress.Core.Plugins.BuiltIn.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Higress.Core.Plugins.BuiltIn.HmacAuth;

/// <summary>
/// Higress's <c>hmac-auth</c>: the client signs the request (<see cref="HmacStringToSign"/>) with its consumer's
/// secret (HmacSHA256, or HmacSHA1 when <c>x-ca-signature-method</c> says so) and sends <c>x-ca-key</c> and
/// <c>x-ca-signature</c>; a <c>Content-MD5</c> header is checked against the body, and <c>date_offset</c> bounds
/// the age of <c>Date</c> or <c>x-ca-timestamp</c>.
/// </summary>
internal sealed class HmacAuthPlugin(TimeProvider time, ILogger<HmacAuthPlugin>? logger = null) : AuthPlugin<HmacAuthConfig, HmacAuthState>(logger)
{
    public const string PluginName = "hmac-auth";

    internal const string InvalidKey = "Invalid Key";
    internal const string EmptySignature = "Empty Signature";
    internal const string InvalidSignature = "Invalid Signature";
    internal const string InvalidContentMd5 = "Invalid Content-MD5";
    internal const string InvalidDate = "Invalid Date";
    internal const string BodyTooLarge = "Request Body Too Large";
    internal const string Unauthorized = "Unauthorized Consumer";

    // Higress's limit for a body it must read (a Content-MD5 check, or form parameters to sign).
    internal const long MaxBodySize = 32 * 1024 * 1024;

    public override string Name => PluginName;

    public override int DefaultPriority => 330;

    protected override bool HasConsumers(HmacAuthConfig config) => !config.Credentials.IsEmpty;

    protected override HmacAuthConfig ValidateAuth(HmacAuthConfig config, PluginConfigContext context)
    {
        if (config.DateOffset < 0)
        {
            context.AddError("date_offset", $"{config.DateOffset} is negative", "give the most seconds a request's Date may be off, e.g. 300, or leave it out to not check the time");
        }

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < config.Consumers.Count; i++)
        {
            var key = config.Consumers[i].Key;
            if (key.Length == 0)
            {
                context.AddError($"consumers[{i}].key", "is empty", "set the app key the client sends in x-ca-key");
            }
            else if (!keys.TryAdd(key, i))
            {
                context.AddError($"consumers[{i}].key", $"'{key}' is also the key of consumers[{keys[key]}]", "give every consumer its own key");
            }
        }

        var credentials = ConsumerCredentials.Resolve(config.Consumers, c => (c.Name, c.Secret, c.SecretRef), "secret", uniqueValues: false, context);
        return config with { Credentials = credentials };
    }

    public override HmacAuthState CreateState(HmacAuthConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return HmacAuthState.Create(config);
    }

    protected override PluginResult Forbidden(PluginContext context) => Refuse(context, 403, Unauthorized);

    protected override async ValueTask<AuthOutcome> AuthenticateAsync(PluginContext context, HmacAuthConfig config, HmacAuthState state)
    {
        var request = context.HttpContext.Request;
        var key = request.Headers["x-ca-key"].ToString();
        if (key.Length == 0 || !state.TryGet(key, out var consumer))
        {
            return Deny(context, 401, InvalidKey);
        }

        var signature = request.Headers["x-ca-signature"].ToString();
        if (signature.Length == 0)
        {
            return Deny(context, 401, EmptySignature);
        }

        if (config.DateOffset is > 0 and var offset && !IsRecent(request, offset))
        {
            return Deny(context, 400, InvalidDate);
        }

        var (path, query) = Target(context.HttpContext);
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        HmacStringToSign.AddParameters(query, parameters);
        var headers = HmacStringToSign.Headers(request);
        var form = request.ContentType?.Contains("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

        // As Higress: a request without form parameters is verified before its body is read.
        if (!form && Verify(context, headers, path, parameters, consumer.Secret, signature) is { } mismatch)
        {
            return mismatch;
        }

        var md5 = request.Headers[HeaderNames.ContentMD5].ToString();
        if (md5.Length > 0 || form)
        {
            var body = await context.ReadRequestBodyAsync(MaxBodySize).ConfigureAwait(false);
            if (body.TooLarge)
            {
                return Deny(context, 413, BodyTooLarge);
            }

            if (md5.Length > 0 && (body.Body.IsEmpty || !FixedTimeEquals(Convert.ToBase64String(MD5.HashData(body.Body.Span)), md5)))
            {
                return Deny(context, 400, InvalidContentMd5);
            }

            if (form)
            {
                HmacStringToSign.AddParameters(Encoding.UTF8.GetString(body.Body.Span), parameters);
                if (Verify(context, headers, path, parameters, consumer.Secret, signature) is { } formMismatch)
                {
                    return formMismatch;
                }
            }
        }

        return AuthOutcome.Authenticated(consumer.Consumer);
    }

    private static AuthOutcome Deny(PluginContext context, int status, string message) => AuthOutcome.Denied(Refuse(context, status, message));

    // Null when the signature matches. Higress's documentation writes a parameter without a value as its name
    // alone, its implementation as "name="; a client may have followed either, and both prove the secret.
    private static AuthOutcome? Verify(PluginContext context, string headers, string path, SortedDictionary<string, string> parameters, byte[] secret, string signature)
    {
        var stringToSign = headers + HmacStringToSign.PathAndParameters(path, parameters, emptyValueWithEquals: false);
        var sha1 = context.HttpContext.Request.Headers["x-ca-signature-method"] == "HmacSHA1";
        if (FixedTimeEquals(Sign(stringToSign, secret, sha1), signature)
            || (parameters.ContainsValue(string.Empty)
                && FixedTimeEquals(Sign(headers + HmacStringToSign.PathAndParameters(path, parameters, emptyValueWithEquals: true), secret, sha1), signature)))
        {
            return null;
        }

        // Higress returns its string to sign (newlines as '#') so that a client can see where it differs.
        context.HttpContext.Response.Headers["X-Ca-Error-Message"] = "Server StringToSign:`" + HeaderSafe(stringToSign) + "`";
        return Deny(context, 400, InvalidSignature);
    }

    private static string Sign(string stringToSign, byte[] secret, bool sha1)
    {
        var data = Encoding.UTF8.GetBytes(stringToSign);
        return Convert.ToBase64String(sha1 ? HMACSHA1.HashData(secret, data) : HMACSHA256.HashData(secret, data));
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private bool IsRecent(HttpRequest request, long offsetSeconds)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long then;
        var date = request.Headers.Date.ToString();
        if (date.Length > 0)
        {
            if (!HeaderUtilities.TryParseDate(date, out var parsed))
            {
                return false;
            }

            then = parsed.ToUnixTimeMilliseconds();
        }
        else
        {
            // x-ca-timestamp: milliseconds since the epoch; fewer than 13 digits are seconds.
            var timestamp = request.Headers["x-ca-timestamp"].ToString();
            if (!long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out then) || then > long.MaxValue / 1000)
            {
                return false;
            }

            then = timestamp.Length < 13 ? then * 1000 : then;
        }

        return Math.Abs((decimal)now - then) <= offsetSeconds * 1000m;
    }

    // The path and query as the client sent them (what it signed), not as ASP.NET decoded them.
    private static (string Path, string Query) Target(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || raw[0] != '/')
        {
            raw = http.Request.PathBase.Add(http.Request.Path).ToUriComponent() + http.Request.QueryString.Value;
        }

        var question = raw.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (raw, string.Empty) : (raw[..question], raw[(question + 1)..]);
    }

    private static string HeaderSafe(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] == '\n' ? '#' : chars[i] is < ' ' or > '~' ? '?' : chars[i];
        }

        return new string(chars);
    }
}
