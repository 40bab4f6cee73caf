using System.Text.Json.Serialization;
using Higress.Core.Plugins.BuiltIn.Auth;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.KeyAuth;

/// <summary>The <c>key-auth</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record KeyAuthConfig : AuthConfig
{
    /// <summary><c>consumers</c>: who may call, each with its API key (<c>credential</c> or <c>credential_ref</c>).</summary>
    public EquatableArray<Consumer> Consumers { get; init; }

    /// <summary><c>keys</c>: the header and/or query parameter names that carry the API key.</summary>
    public EquatableArray<string> Keys { get; init; }

    /// <summary><c>in_query</c>: read the key from the query string.</summary>
    public bool InQuery { get; init; } = true;

    /// <summary><c>in_header</c>: read the key from the request headers.</summary>
    public bool InHeader { get; init; } = true;

    /// <summary>The consumers with their resolved keys.</summary>
    [JsonIgnore]
    public EquatableArray<ConsumerCredential> Credentials { get; init; }
}
