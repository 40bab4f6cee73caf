using System.ComponentModel.DataAnnotations;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>One entry of <c>consumers</c>: Higress's fields, plus <c>jwks_uri</c> and <c>audiences</c>.</summary>
internal sealed record JwtConsumer
{
    /// <summary><c>name</c>: the consumer's name (<c>X-Mse-Consumer</c>, <c>allow</c>); empty means the token's <c>sub</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary><c>issuer</c>: the <c>iss</c> the token must carry.</summary>
    [Required]
    public string Issuer { get; init; } = string.Empty;

    /// <summary><c>jwks</c>: a JSON Web Key Set as a JSON string (public keys, or <c>oct</c> keys for HS*).</summary>
    public string? Jwks { get; init; }

    /// <summary><c>jwks_uri</c>: where to fetch the key set instead of <see cref="Jwks"/>.</summary>
    public string? JwksUri { get; init; }

    /// <summary><c>audiences</c>: when set, a token's <c>aud</c> must name one of them.</summary>
    public EquatableArray<string> Audiences { get; init; }

    /// <summary><c>claims_to_headers</c>: claims copied onto request headers for the upstream.</summary>
    public EquatableArray<JwtClaimToHeader> ClaimsToHeaders { get; init; }

    /// <summary><c>from_headers</c>: headers the token is read from (with a prefix to strip).</summary>
    public EquatableArray<JwtFromHeader>? FromHeaders { get; init; }

    /// <summary><c>from_params</c>: query parameters the token is read from.</summary>
    public EquatableArray<string>? FromParams { get; init; }

    /// <summary><c>from_cookies</c>: cookies the token is read from.</summary>
    public EquatableArray<string>? FromCookies { get; init; }

    /// <summary><c>clock_skew_seconds</c>: leeway for <c>exp</c> and <c>nbf</c>.</summary>
    [Range(0, 86400)]
    public int ClockSkewSeconds { get; init; } = 60;

    /// <summary><c>keep_token</c>: false removes the token from where it was found before forwarding.</summary>
    public bool KeepToken { get; init; } = true;
}
