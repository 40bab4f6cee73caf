using System.Buffers.Binary;
using System.Globalization;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class UuidBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("uuid.rfc4122", (a, ctx) =>
        {
            string key = Operand.AsString(a, 1);
            var cacheKey = ("uuid.rfc4122", key);
            if (ctx.Cache.TryGetValue(cacheKey, out var cached) && cached is RegoValue v)
            {
                return v;
            }
            var result = RegoString.Create(Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture));
            ctx.Cache[cacheKey] = result;
            return result;
        }, BuiltinFlags.Nondeterministic);
        r.Register1("uuid.parse", (a, _) => Parse(Operand.AsString(a, 1)));
    }

    private static RegoObject? Parse(string s)
    {
        string hex;
        if (s.Length == 36)
        {
            hex = s;
        }
        else if (s.Length == 38 && s[0] == '{' && s[^1] == '}')
        {
            hex = s[1..^1];
        }
        else if (s.Length == 45 && s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            hex = s[9..];
        }
        else if (s.Length == 32)
        {
            hex = s;
        }
        else
        {
            return null;
        }
        if (hex.Length == 36)
        {
            if (hex[8] != '-' || hex[13] != '-' || hex[18] != '-' || hex[23] != '-')
            {
                return null;
            }
            hex = hex.Replace("-", "", StringComparison.Ordinal);
        }
        if (hex.Length != 32 || !hex.All(char.IsAsciiHexDigit))
        {
            return null;
        }
        byte[] u = Convert.FromHexString(hex);
        int version = u[6] >> 4;
        string variant = (u[8] & 0xc0) == 0x80 ? "RFC4122" : (u[8] & 0xe0) == 0xc0 ? "Microsoft" : (u[8] & 0xe0) == 0xe0 ? "Future" : "Reserved";
        var pairs = new List<KeyValuePair<string, RegoValue>>
        {
            new("version", RegoNumber.FromInt64(version)),
            new("variant", RegoString.Create(variant)),
        };
        if (version is 1 or 2)
        {
            long t = BinaryPrimitives.ReadUInt32BigEndian(u.AsSpan(0, 4));
            t |= (long)BinaryPrimitives.ReadUInt16BigEndian(u.AsSpan(4, 2)) << 32;
            t |= (long)(BinaryPrimitives.ReadUInt16BigEndian(u.AsSpan(6, 2)) & 0xfff) << 48;
            const long GregorianToUnix = 122192928000000000;
            pairs.Add(new("time", RegoNumber.FromBigInteger(((System.Numerics.BigInteger)t - GregorianToUnix) * 100)));
            pairs.Add(new("clocksequence", RegoNumber.FromInt64(BinaryPrimitives.ReadUInt16BigEndian(u.AsSpan(8, 2)) & 0x3fff)));
            pairs.Add(new("nodeid", RegoString.Create(string.Join("-", u.Skip(10).Select(b => b.ToString("x2", CultureInfo.InvariantCulture))))));
            string mac = ((u[10] & 0x02) != 0 ? "local" : "global") + ":" + ((u[10] & 0x01) != 0 ? "multicast" : "unicast");
            pairs.Add(new("macvariables", RegoString.Create(mac)));
            if (version == 2)
            {
                string domain = u[9] switch { 0 => "Person", 1 => "Group", 2 => "Org", _ => "Domain" + u[9].ToString(CultureInfo.InvariantCulture) };
                pairs.Add(new("domain", RegoString.Create(domain)));
                pairs.Add(new("id", RegoNumber.FromInt64(BinaryPrimitives.ReadUInt32BigEndian(u.AsSpan(0, 4)))));
            }
        }
        return RegoObject.Create(pairs);
    }
}
