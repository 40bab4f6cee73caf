using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// A JOSE header read as OPA reads it for verification: <c>alg</c>, <c>kid</c>, <c>typ</c> and <c>cty</c> must be
/// strings and <c>crit</c> a non-empty list of strings (otherwise a built-in error); the header is valid when it has an
/// <c>alg</c> and <c>crit</c> names no parameter OPA does not understand.
/// </summary>
internal sealed record JwtHeader(RegoObject Value, string Alg, string Kid, string Cty, bool Valid)
{
    /// <summary>A nested token: the payload is itself a JWT (compared case-insensitively, as OPA does).</summary>
    public bool IsNested => string.Equals(Cty, "JWT", StringComparison.OrdinalIgnoreCase);

    public static JwtHeader Read(RegoObject header)
    {
        string alg = "", kid = "", cty = "";
        HashSet<string>? crit = null;
        List<string>? unknown = null;
        foreach (var (k, v) in header)
        {
            string name = k is RegoString ks ? ks.Value : k.ToString();
            switch (name)
            {
                case "alg":
                    alg = Text(name, v);
                    break;
                case "kid":
                    kid = Text(name, v);
                    break;
                case "typ":
                    _ = Text(name, v);
                    break;
                case "cty":
                    cty = Text(name, v);
                    break;
                case "crit":
                    crit = Crit(v);
                    break;
                default:
                    (unknown ??= []).Add(name);
                    break;
            }
        }
        bool valid = alg.Length > 0 && (crit is null || unknown is null || !unknown.Exists(crit.Contains));
        return new JwtHeader(header, alg, kid, cty, valid);
    }

    /// <summary>The key a JWKS names by the token's <c>kid</c>: when there is one, it is the only key tried.</summary>
    public IReadOnlyList<JwtKeys.Key> Candidates(List<JwtKeys.Key> keys)
    {
        if (Kid.Length > 0)
        {
            var named = keys.Find(k => k.Kid == Kid);
            if (named is not null)
            {
                return [named];
            }
        }
        return keys;
    }

    private static string Text(string name, RegoValue v) =>
        v is RegoString s ? s.Value : throw BuiltinException.Error($"{name}: must be a string");

    private static HashSet<string> Crit(RegoValue v)
    {
        if (v is not RegoArray a)
        {
            throw BuiltinException.Error("crit: must be a list");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in a)
        {
            names.Add(e is RegoString s ? s.Value : throw BuiltinException.Error("crit: must be a list of strings"));
        }
        return names.Count > 0 ? names : throw BuiltinException.Error("crit: must be a nonempty list");
    }
}
