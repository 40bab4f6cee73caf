using Higress.Core.Plugins.BuiltIn.Auth;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>
/// The <c>jwt-auth</c> config: Higress's <c>consumers</c> (each with its own issuer and keys), or the seed's single
/// anonymous issuer (<c>issuer</c>, <c>jwks_uri</c>, <c>audiences</c> at the top level) whose consumer is the token's
/// <c>sub</c>.
/// </summary>
internal sealed record JwtAuthConfig : AuthConfig
{
    /// <summary><c>consumers</c>: Higress's named token issuers; the first that verifies the token names the consumer.</summary>
    public EquatableArray<JwtConsumer> Consumers { get; init; }

    /// <summary><c>issuer</c> (seed shape): the <c>iss</c> every token must carry.</summary>
    public string? Issuer { get; init; }

    /// <summary><c>jwks_uri</c> (seed shape): where the JSON Web Key Set is fetched (http or https).</summary>
    public string? JwksUri { get; init; }

    /// <summary><c>audiences</c> (seed shape): when set, a token's <c>aud</c> must name one of them.</summary>
    public EquatableArray<string> Audiences { get; init; }
}
