using System.Collections.Frozen;
using Higress.Core.Plugins.BuiltIn.Auth;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace Higress.Core.Plugins.BuiltIn.KeyAuth;

/// <summary>
/// Higress's <c>key-auth</c>: the caller sends an API key in one of the <c>keys</c> headers or query parameters; the
/// key names a consumer. The key is forwarded upstream unchanged, as Higress does.
/// </summary>
internal sealed class KeyAuthPlugin(ILogger<KeyAuthPlugin>? logger = null) : AuthPlugin<KeyAuthConfig, FrozenDictionary<string, string>>(logger)
{
    public const string PluginName = "key-auth";

    // Higress's realm; it sends the challenge on 401 and 403 alike.
    private const string Challenge = "Key realm=MSE Gateway";

    internal const string NoKey = "Request denied by Key Auth check. No API key found in request";
    internal const string MultipleKeys = "Request denied by Key Auth check. Multiple API keys found in request";
    internal const string InvalidKey = "Request denied by Key Auth check. Invalid API key";
    internal const string Unauthorized = "Request denied by Key Auth check. Unauthorized consumer";

    public override string Name => PluginName;

    public override int DefaultPriority => 310;

    protected override bool HasConsumers(KeyAuthConfig config) => !config.Credentials.IsEmpty;

    protected override KeyAuthConfig ValidateAuth(KeyAuthConfig config, PluginConfigContext context)
    {
        if (!config.InQuery && !config.InHeader)
        {
            context.AddError("in_query", "and in_header are both false: no key could ever be found", "set in_header: true, in_query: true, or both");
        }

        for (var i = 0; i < config.Keys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(config.Keys[i]))
            {
                context.AddError($"keys[{i}]", "is empty", "name a header or query parameter, e.g. x-api-key");
            }
        }

        if (config.Keys.IsEmpty && !config.Consumers.IsEmpty)
        {
            context.AddError("keys", "is empty: no header or query parameter carries the key", "list at least one name, e.g. keys: [x-api-key, apikey]");
        }

        var credentials = ConsumerCredentials.Resolve(config.Consumers, c => (c.Name, c.Credential, c.CredentialRef), "credential", uniqueValues: true, context);
        return config with { Credentials = credentials };
    }

    public override FrozenDictionary<string, string> CreateState(KeyAuthConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var byKey = new Dictionary<string, string>(config.Credentials.Count, StringComparer.Ordinal);
        foreach (var credential in config.Credentials)
        {
            byKey[credential.Value] = credential.Name;
        }

        return byKey.ToFrozenDictionary(StringComparer.Ordinal);
    }

    protected override ValueTask<AuthOutcome> AuthenticateAsync(PluginContext context, KeyAuthConfig config, FrozenDictionary<string, string> state)
    {
        var request = context.HttpContext.Request;
        string? key = null;
        var found = 0;
        foreach (var name in config.Keys)
        {
            if (config.InHeader && request.Headers.TryGetValue(name, out var headerValues))
            {
                Collect(headerValues, ref key, ref found);
            }

            if (config.InQuery && request.Query.TryGetValue(name, out var queryValues))
            {
                Collect(queryValues, ref key, ref found);
            }
        }

        AuthOutcome outcome;
        if (found > 1)
        {
            outcome = AuthOutcome.Denied(Refuse(context, 401, MultipleKeys, Challenge));
        }
        else if (key is null)
        {
            outcome = AuthOutcome.Denied(Refuse(context, 401, NoKey, Challenge));
        }
        else
        {
            outcome = state.TryGetValue(key, out var consumer)
                ? AuthOutcome.Authenticated(consumer)
                : AuthOutcome.Denied(Refuse(context, 401, InvalidKey, Challenge));
        }

        return new ValueTask<AuthOutcome>(outcome);
    }

    protected override PluginResult Forbidden(PluginContext context) => Refuse(context, 403, Unauthorized, Challenge);

    // Every non-empty value counts: a key sent twice (two headers, header and query) is refused as ambiguous.
    private static void Collect(StringValues values, ref string? key, ref int found)
    {
        foreach (var value in values)
        {
            if (!string.IsNullOrEmpty(value))
            {
                key = value;
                found++;
            }
        }
    }
}
