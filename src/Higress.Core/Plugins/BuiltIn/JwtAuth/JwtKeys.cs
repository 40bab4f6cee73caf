using System.Collections.Frozen;
using Microsoft.IdentityModel.Tokens;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>One parsed JSON Web Key Set: the keys that verify signatures and their key ids. Immutable.</summary>
internal sealed class JwtKeys
{
    private readonly FrozenSet<string> _kids;

    private JwtKeys(IList<SecurityKey> signingKeys)
    {
        SigningKeys = signingKeys;
        var kids = new List<string>(signingKeys.Count);
        foreach (var key in signingKeys)
        {
            if (!string.IsNullOrEmpty(key.KeyId))
            {
                kids.Add(key.KeyId);
            }
        }

        _kids = kids.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The keys that verify signatures (RSA, EC and <c>oct</c>; keys marked <c>use: enc</c> are left out).</summary>
    public IList<SecurityKey> SigningKeys { get; }

    /// <summary>True when a key has this <c>kid</c>.</summary>
    public bool HasKid(string kid) => _kids.Contains(kid);

    /// <summary>Parses a key set.</summary>
    /// <param name="json">The JWKS JSON (<c>{"keys": [...]}</c>).</param>
    /// <param name="keys">The keys, when the set parsed and holds at least one signing key.</param>
    /// <param name="problem">Why not, otherwise.</param>
    /// <returns>True when parsed.</returns>
    public static bool TryParse(string json, out JwtKeys keys, out string problem)
    {
        keys = null!;
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (ArgumentException ex)
        {
            problem = $"is not a JSON Web Key Set ({(ex.InnerException ?? ex).Message.Split('\n')[0].Trim()})";
            return false;
        }

        // GetSigningKeys converts RSA and EC keys only; oct keys (HS256/384/512) are added here.
        var signingKeys = set.GetSigningKeys();
        foreach (var key in set.Keys)
        {
            if (key.Kty == JsonWebAlgorithmsKeyTypes.Octet && !string.IsNullOrEmpty(key.K) && key.Use is null or JsonWebKeyUseNames.Sig)
            {
                signingKeys.Add(new SymmetricSecurityKey(Base64UrlEncoder.DecodeBytes(key.K)) { KeyId = key.Kid });
            }
        }

        if (signingKeys.Count == 0)
        {
            problem = "holds no usable signing key";
            return false;
        }

        keys = new JwtKeys(signingKeys);
        problem = string.Empty;
        return true;
    }
}
