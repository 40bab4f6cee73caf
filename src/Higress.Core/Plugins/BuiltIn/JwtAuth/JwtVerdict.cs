namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>What one consumer made of a request, ordered from least to most telling (the most telling is answered).</summary>
internal enum JwtVerdict
{
    /// <summary>No token where this consumer looks: 401 "JWT is missing".</summary>
    Missing,

    /// <summary>A token that does not verify (signature, key, algorithm, issuer, audience): 401 "JWT verification fails".</summary>
    Invalid,

    /// <summary>A verified token outside its lifetime (<c>exp</c>, <c>nbf</c>): 401 "JWT is expired".</summary>
    Expired,

    /// <summary>Verified: the consumer is recognised.</summary>
    Valid,
}
