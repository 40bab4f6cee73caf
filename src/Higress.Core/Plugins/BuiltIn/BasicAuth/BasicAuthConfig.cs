using System.Text.Json.Serialization;
using Higress.Core.Plugins.BuiltIn.Auth;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.BasicAuth;

/// <summary>The <c>basic-auth</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record BasicAuthConfig : AuthConfig
{
    /// <summary><c>consumers</c>: who may call, each with <c>credential: "user:password"</c> (or <c>credential_ref</c>).</summary>
    public EquatableArray<Consumer> Consumers { get; init; }

    /// <summary>The consumers with their resolved <c>user:password</c> credentials.</summary>
    [JsonIgnore]
    public EquatableArray<ConsumerCredential> Credentials { get; init; }
}
