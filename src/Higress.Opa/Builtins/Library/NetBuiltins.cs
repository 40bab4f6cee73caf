using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class NetBuiltins
{
    private readonly record struct Cidr(bool V6, BigInteger Ip, int Prefix)
    {
        public int Bits => V6 ? 128 : 32;

        public BigInteger First => Ip & Mask;

        public BigInteger Last => First | (BigInteger.Pow(2, Bits - Prefix) - 1);

        private BigInteger Mask => (BigInteger.Pow(2, Bits) - 1) ^ (BigInteger.Pow(2, Bits - Prefix) - 1);

        /// <summary>Containment as Go's <c>IPNet.Contains</c>: IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as IPv4.</summary>
        public bool Contains(Cidr o)
        {
            var n = Unmapped();
            var x = o.Unmapped();
            return x.V6 == n.V6 && x.First >= n.First && x.Last <= n.Last;
        }

        private Cidr Unmapped() => V6 && Prefix >= 96 && (First >> 32) == 0xffff ? new Cidr(false, Ip & 0xffffffff, Prefix - 96) : this;
    }

    public static void Register(BuiltinRegistry r)
    {
        r.Register2("net.cidr_contains", (a, b, _) => RegoValue.Boolean(ParseCidr(Operand.AsString(a, 1)).Contains(ParseCidrOrIp(Operand.AsString(b, 2)))));
        r.Register2("net.cidr_intersects", (a, b, _) =>
        {
            var x = ParseCidr(Operand.AsString(a, 1));
            var y = ParseCidr(Operand.AsString(b, 2));
            return RegoValue.Boolean(x.V6 == y.V6 && x.First <= y.Last && y.First <= x.Last);
        });
        r.Register1("net.cidr_is_valid", (a, _) => RegoValue.Boolean(a is RegoString s && TryParseCidr(s.Value, out Cidr _)));
        r.Register1("net.cidr_expand", (a, ctx) =>
        {
            var c = ParseCidr(Operand.AsString(a, 1));
            var list = new List<RegoValue>();
            for (var ip = c.First; ip <= c.Last; ip++)
            {
                if ((list.Count & 1023) == 1023)
                {
                    ctx.CheckLimits();
                }
                list.Add(RegoString.Create(FormatIp(c.V6, ip)));
            }
            return RegoSet.Create(list);
        });
        r.Register2("net.cidr_contains_matches", (a, b, _) =>
        {
            var cidrs = Entries(a, 1);
            var ips = Entries(b, 2);
            var result = new List<RegoValue>();
            foreach (var (k1, s1) in cidrs)
            {
                var c = ParseCidr(s1);
                foreach (var (k2, s2) in ips)
                {
                    if (c.Contains(ParseCidrOrIp(s2)))
                    {
                        result.Add(RegoArray.Create(k1, k2));
                    }
                }
            }
            return RegoSet.Create(result);
        });
        r.Register1("net.cidr_merge", (a, _) => Merge(a));
        r.Register1("net.lookup_ip_addr", (a, ctx) => Lookup(Operand.AsString(a, 1), ctx), BuiltinFlags.Nondeterministic);
    }

    private static RegoSet Lookup(string name, BuiltinContext ctx)
    {
        if (TryParseIp(name, out var c))
        {
            return RegoSet.Create(RegoString.Create(FormatIp(c.V6, c.Ip)));
        }
        if (string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 6761: localhost always names the loopback addresses; no lookup needed.
            return RegoSet.Create(RegoString.Create("127.0.0.1"), RegoString.Create("::1"));
        }
        if (!ctx.AllowNetwork)
        {
            throw BuiltinException.Error("network access is disabled for this evaluation (EvaluationOptions do not allow network)");
        }
        ctx.CancellationToken.ThrowIfCancellationRequested();
        // The blocking resolver call, not a wait on the asynchronous one: with inline socket completions that wait could
        // need the very event thread this evaluation holds.
        var addresses = Dns.GetHostAddresses(name);
        return RegoSet.Create(addresses.Select(ad => (RegoValue)RegoString.Create(ad.ToString())));
    }

    private static List<(RegoValue Key, string Value)> Entries(RegoValue v, int pos)
    {
        var list = new List<(RegoValue, string)>();
        switch (v)
        {
            case RegoString s:
                list.Add((s, s.Value));
                break;
            case RegoArray arr:
                for (int i = 0; i < arr.Count; i++)
                {
                    list.Add((RegoNumber.FromInt64(i), ElementString(arr[i], pos)));
                }
                break;
            case RegoSet set:
                foreach (var e in set.AsSpan())
                {
                    list.Add((e, ElementString(e, pos)));
                }
                break;
            case RegoObject obj:
                foreach (var kv in obj)
                {
                    list.Add((kv.Key, ElementString(kv.Value, pos)));
                }
                break;
            default:
                throw BuiltinException.OperandType(pos, v, "string", "array", "set", "object");
        }
        return list;
    }

    private static string ElementString(RegoValue e, int pos) => e switch
    {
        RegoString s => s.Value,
        RegoArray { Count: > 0 } a when a[0] is RegoString s0 => s0.Value,
        _ => throw BuiltinException.Error($"operand {pos}: element must be string or non-empty array"),
    };

    private static Cidr ParseCidr(string s) =>
        TryParseCidr(s, out var c) ? c : throw BuiltinException.Error("invalid CIDR address: " + s);

    private static Cidr ParseCidrOrIp(string s)
    {
        if (s.Contains('/', StringComparison.Ordinal))
        {
            return ParseCidr(s);
        }
        return TryParseIp(s, out var c) ? c : throw BuiltinException.Error("invalid IP address: " + s);
    }

    private static bool TryParseCidr(string s, out Cidr c)
    {
        c = default;
        int slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !TryParseIp(s[..slash], out var ip))
        {
            return false;
        }
        string p = s[(slash + 1)..];
        if (p.Length == 0 || p.Length > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0'))
        {
            return false;
        }
        int prefix = int.Parse(p, CultureInfo.InvariantCulture);
        if (prefix > ip.Bits)
        {
            return false;
        }
        c = ip with { Prefix = prefix };
        return true;
    }

    private static bool TryParseIp(string s, out Cidr c)
    {
        c = default;
        if (s.Contains(':', StringComparison.Ordinal))
        {
            if (s.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(s, out var addr) || addr.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }
            c = new Cidr(true, new BigInteger(addr.GetAddressBytes(), isUnsigned: true, isBigEndian: true), 128);
            return true;
        }
        var parts = s.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }
        long v = 0;
        foreach (var part in parts)
        {
            if (part.Length == 0 || part.Length > 3 || !part.All(char.IsAsciiDigit) || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }
            int b = int.Parse(part, CultureInfo.InvariantCulture);
            if (b > 255)
            {
                return false;
            }
            v = (v << 8) | (long)b;
        }
        c = new Cidr(false, v, 32);
        return true;
    }

    private static string FormatIp(bool v6, BigInteger ip)
    {
        if (!v6)
        {
            long v = (long)ip;
            return string.Join(".", new[] { (v >> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255 }.Select(x => x.ToString(CultureInfo.InvariantCulture)));
        }
        var bytes = ip.ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[16];
        Array.Copy(bytes, 0, full, 16 - bytes.Length, bytes.Length);
        return new IPAddress(full).ToString();
    }

    private static RegoArray Merge(RegoValue a)
    {
        var nets = new List<Cidr>();
        foreach (var e in Operand.AsArrayOrSet(a, 1))
        {
            if (e is not RegoString s)
            {
                throw BuiltinException.TypeError($"operand 1 must be array of strings but got array containing {e.TypeName}");
            }
            if (s.Value.Contains('/', StringComparison.Ordinal))
            {
                nets.Add(ParseCidr(s.Value));
            }
            else if (TryParseIp(s.Value, out var ip))
            {
                if (ip.V6)
                {
                    throw BuiltinException.Error("IPv6 invalid: needs prefix length");
                }
                long first = (long)ip.Ip >> 24;
                int prefix = first < 128 ? 8 : first < 192 ? 16 : 24;
                nets.Add(ip with { Prefix = prefix });
            }
            else
            {
                throw BuiltinException.Error("invalid CIDR address: " + s.Value);
            }
        }
        var result = new List<RegoValue>();
        foreach (bool v6 in new[] { false, true })
        {
            var list = nets.Where(n => n.V6 == v6).Select(n => n with { Ip = n.First }).ToList();
            foreach (var n in MergeFamily(list))
            {
                result.Add(RegoString.Create(FormatIp(n.V6, n.Ip) + "/" + n.Prefix.ToString(CultureInfo.InvariantCulture)));
            }
        }
        return RegoArray.Create(result);
    }

    private static List<Cidr> MergeFamily(List<Cidr> nets)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            nets = [.. nets.Distinct().OrderBy(n => n.First).ThenBy(n => n.Prefix)];
            var kept = new List<Cidr>();
            foreach (var n in nets)
            {
                if (kept.Count > 0 && kept[^1].Contains(n))
                {
                    changed = true;
                    continue;
                }
                if (kept.Count > 0 && kept[^1].Prefix == n.Prefix && n.Prefix > 0)
                {
                    var prev = kept[^1];
                    var parent = prev with { Prefix = prev.Prefix - 1 };
                    parent = parent with { Ip = parent.First };
                    if (parent.First == prev.First && parent.Last == n.Last)
                    {
                        kept[^1] = parent;
                        changed = true;
                        continue;
                    }
                }
                kept.Add(n);
            }
            nets = kept;
        }
        return nets;
    }
}
