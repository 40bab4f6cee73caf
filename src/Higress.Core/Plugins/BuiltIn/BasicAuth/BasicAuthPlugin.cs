using System.Buffers;
using System.Text;
using Higress.Core.Plugins.BuiltIn.Auth;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Plugins.BuiltIn.BasicAuth;

/// <summary>
/// Higress's <c>basic-auth</c>: <c>Authorization: Basic base64(user:password)</c> (RFC 7617) names a consumer.
/// The Authorization header is forwarded upstream unchanged, as Higress does.
/// </summary>
internal sealed class BasicAuthPlugin(ILogger<BasicAuthPlugin>? logger = null) : AuthPlugin<BasicAuthConfig, BasicAuthState>(logger)
{
    public const string PluginName = "basic-auth";

    // Higress's realm; it sends the challenge on 401 and 403 alike.
    private const string Challenge = "Basic realm=MSE Gateway";

    internal const string NoCredentials = "Request denied by Basic Auth check. No Basic Authentication information found.";
    internal const string InvalidCredentials = "Request denied by Basic Auth check. Invalid username and/or password.";
    internal const string Unauthorized = "Request denied by Basic Auth check. Unauthorized consumer.";

    // A longer header is refused before decoding it: no real user:password comes near it.
    private const int MaxEncodedLength = 8 * 1024;

    public override string Name => PluginName;

    public override int DefaultPriority => 320;

    protected override bool HasConsumers(BasicAuthConfig config) => !config.Credentials.IsEmpty;

    protected override BasicAuthConfig ValidateAuth(BasicAuthConfig config, PluginConfigContext context)
    {
        var credentials = ConsumerCredentials.Resolve(config.Consumers, c => (c.Name, c.Credential, c.CredentialRef), "credential", uniqueValues: true, context);
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        var valid = new List<ConsumerCredential>(credentials.Length);
        foreach (var credential in credentials)
        {
            var index = credential.Index;
            var colon = credential.Value.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                context.AddError($"consumers[{index}].credential", "is not of the form user:password", "write the user name, a colon, then the password, e.g. 'admin:123456'");
                continue;
            }

            var user = credential.Value[..colon];
            if (!users.TryAdd(user, credential.Name))
            {
                context.AddError($"consumers[{index}].credential", $"names user '{user}' like consumer '{users[user]}'", "give every consumer its own user name: a user name must find one password");
                continue;
            }

            valid.Add(credential);
        }

        return config with { Credentials = [.. valid] };
    }

    public override BasicAuthState CreateState(BasicAuthConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var users = new List<(string, string, string)>(config.Credentials.Count);
        foreach (var credential in config.Credentials)
        {
            var colon = credential.Value.IndexOf(':', StringComparison.Ordinal);
            users.Add((credential.Value[..colon], credential.Value[(colon + 1)..], credential.Name));
        }

        return new BasicAuthState(users);
    }

    protected override ValueTask<AuthOutcome> AuthenticateAsync(PluginContext context, BasicAuthConfig config, BasicAuthState state) =>
        new(Authenticate(context, state));

    protected override PluginResult Forbidden(PluginContext context) => Refuse(context, 403, Unauthorized, Challenge);

    private static AuthOutcome Authenticate(PluginContext context, BasicAuthState state)
    {
        var header = context.HttpContext.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthOutcome.Denied(Refuse(context, 401, NoCredentials, Challenge));
        }

        var encoded = value.AsSpan(6).Trim();
        if (encoded.Length > MaxEncodedLength)
        {
            return AuthOutcome.Denied(Refuse(context, 401, InvalidCredentials, Challenge));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            if (!Convert.TryFromBase64Chars(encoded, buffer, out var length))
            {
                return AuthOutcome.Denied(Refuse(context, 401, InvalidCredentials, Challenge));
            }

            // RFC 7617: the user name ends at the first colon; the password may contain colons.
            var decoded = Encoding.UTF8.GetString(buffer, 0, length);
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            var consumer = colon < 0 ? null : state.Find(decoded.AsSpan(0, colon), decoded.AsSpan(colon + 1));
            return consumer is null
                ? AuthOutcome.Denied(Refuse(context, 401, InvalidCredentials, Challenge))
                : AuthOutcome.Authenticated(consumer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }
}
