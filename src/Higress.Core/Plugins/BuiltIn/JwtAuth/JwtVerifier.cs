using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>
/// Verifies tokens for one consumer with Microsoft.IdentityModel: signature against the consumer's key set, the
/// algorithms Higress supports (never <c>none</c>, never an HMAC keyed with an RSA or EC key), issuer, audience and
/// lifetime with the consumer's clock skew. A token whose <c>kid</c> is not in the set is refused (after one refresh of a
/// fetched set).
/// </summary>
internal sealed class JwtVerifier
{
    private static readonly JsonWebTokenHandler Handler = new();

    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512,
    ];

    /// <summary>How many verified tokens one consumer remembers; past it the cache starts over.</summary>
    internal const int CacheCapacity = 10_000;

    /// <summary>The longest a verified token is trusted without checking its signature again.</summary>
    internal static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(5);

    // A client sends the same token on every request until it expires: its signature is checked once, then the token
    // is recognised by its text (an RS256 check costs ~30 µs, a lookup well under one). An entry is used only with the
    // key set that verified it, so a rotated or revoked key takes effect at once, and never past the token's exp.
    private readonly ConcurrentDictionary<string, Verified> _verified = new(StringComparer.Ordinal);
    private readonly JwtConsumer _consumer;
    private readonly JwtKeys? _staticKeys;
    private readonly RemoteJwks? _remoteKeys;
    private readonly TokenValidationParameters _template;
    private volatile ParametersForKeys? _parameters;

    public JwtVerifier(JwtConsumer consumer, JwtKeys? staticKeys, RemoteJwks? remoteKeys)
    {
        _consumer = consumer;
        _staticKeys = staticKeys;
        _remoteKeys = remoteKeys;
        Reader = new JwtTokenReader(consumer);
        _template = new TokenValidationParameters
        {
            ValidIssuer = consumer.Issuer,
            ValidateIssuer = true,
            ValidAudiences = consumer.Audiences.IsEmpty ? null : [.. consumer.Audiences],
            ValidateAudience = !consumer.Audiences.IsEmpty,
            ValidateLifetime = true,

            // Higress (go-jose) accepts a token without exp; so does this plugin, for tokens to port unchanged.
            RequireExpirationTime = false,
            ClockSkew = TimeSpan.FromSeconds(consumer.ClockSkewSeconds),
            RequireSignedTokens = true,
            ValidAlgorithms = Algorithms,
            ValidateIssuerSigningKey = false,
            TryAllIssuerSigningKeys = true,
        };
    }

    /// <summary>The consumer's name; empty when the consumer is the token's <c>sub</c>.</summary>
    public string Name => _consumer.Name;

    /// <summary>Whether the token is removed from the forwarded request.</summary>
    public bool KeepToken => _consumer.KeepToken;

    /// <summary>Where this consumer's token is read from.</summary>
    public JwtTokenReader Reader { get; }

    /// <summary>
    /// The token <paramref name="text"/> when this consumer verified it before, with the key set it still uses, and it
    /// has not expired; otherwise null (verify it with <see cref="VerifyAsync"/>).
    /// </summary>
    public JsonWebToken? FindVerified(string text)
    {
        if (!_verified.TryGetValue(text, out var verified))
        {
            return null;
        }

        var keys = _staticKeys ?? _remoteKeys?.Keys;
        if (ReferenceEquals(verified.Keys, keys) && DateTime.UtcNow < verified.Until)
        {
            return verified.Token;
        }

        _verified.TryRemove(text, out _);
        return null;
    }

    /// <summary>Verifies a parsed token; the validated token carries the claims.</summary>
    public async ValueTask<(JwtVerdict Verdict, JsonWebToken? Token)> VerifyAsync(JsonWebToken token, CancellationToken cancellationToken)
    {
        var keys = _staticKeys ?? (_remoteKeys is null ? null : await _remoteKeys.GetAsync(cancellationToken).ConfigureAwait(false));
        if (keys is not null && !string.IsNullOrEmpty(token.Kid) && !keys.HasKid(token.Kid) && _remoteKeys is not null)
        {
            keys = await _remoteKeys.RefreshForUnknownKidAsync(cancellationToken).ConfigureAwait(false);
        }

        if (keys is null || (!string.IsNullOrEmpty(token.Kid) && !keys.HasKid(token.Kid)))
        {
            return (JwtVerdict.Invalid, null);
        }

        var result = await Handler.ValidateTokenAsync(token, ParametersFor(keys)).ConfigureAwait(false);
        if (result.IsValid)
        {
            var valid = result.SecurityToken as JsonWebToken ?? token;
            Remember(valid, keys);
            return (JwtVerdict.Valid, valid);
        }

        return result.Exception is SecurityTokenExpiredException or SecurityTokenNotYetValidException
            ? (JwtVerdict.Expired, null)
            : (JwtVerdict.Invalid, null);
    }

    /// <summary>Copies <c>claims_to_headers</c> onto the request.</summary>
    public void CopyClaims(JsonWebToken token, HttpRequest request)
    {
        foreach (var mapping in _consumer.ClaimsToHeaders)
        {
            if (!token.TryGetClaim(mapping.Claim, out var claim))
            {
                continue;
            }

            if (mapping.Override)
            {
                request.Headers[mapping.Header] = claim.Value;
            }
            else
            {
                request.Headers.Append(mapping.Header, claim.Value);
            }
        }
    }

    private void Remember(JsonWebToken token, JwtKeys keys)
    {
        var until = DateTime.UtcNow + CacheLifetime;
        if (token.TryGetPayloadValue<long>("exp", out _) && token.ValidTo < until)
        {
            until = token.ValidTo;
        }

        if (_verified.Count >= CacheCapacity)
        {
            _verified.Clear();
        }

        _verified[token.EncodedToken] = new Verified(token, keys, until);
    }

    // Parameters depend on the key set only through IssuerSigningKeys: built once per set, not per request.
    private TokenValidationParameters ParametersFor(JwtKeys keys)
    {
        var cached = _parameters;
        if (cached is not null && ReferenceEquals(cached.Keys, keys))
        {
            return cached.Parameters;
        }

        var parameters = _template.Clone();
        parameters.IssuerSigningKeys = keys.SigningKeys;
        _parameters = new ParametersForKeys(keys, parameters);
        return parameters;
    }

    private sealed record ParametersForKeys(JwtKeys Keys, TokenValidationParameters Parameters);

    private sealed record Verified(JsonWebToken Token, JwtKeys Keys, DateTime Until);
}
