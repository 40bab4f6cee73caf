using System.Globalization;
using System.Text;
using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.LibraryHelpers;

namespace Higress.Opa.Builtins.Library;

internal static class EncodingBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("base64.encode", (a, _) => Str(Convert.ToBase64String(Encoding.UTF8.GetBytes(Operand.AsString(a, 1)))));
        r.Register1("base64.decode", (a, _) => Str(Utf8(DecodeBase64(Operand.AsString(a, 1), false))));
        r.Register1("base64.is_valid", (a, _) => RegoValue.Boolean(TryDecodeBase64(Operand.AsString(a, 1), false, out byte[] _) < 0));
        r.Register1("base64url.encode", (a, _) => Str(ToBase64Url(Encoding.UTF8.GetBytes(Operand.AsString(a, 1)), true)));
        r.Register1("base64url.encode_no_pad", (a, _) => Str(ToBase64Url(Encoding.UTF8.GetBytes(Operand.AsString(a, 1)), false)));
        r.Register1("base64url.decode", (a, _) =>
        {
            string s = Operand.AsString(a, 1);
            if (!s.EndsWith('='))
            {
                switch (s.Length % 4)
                {
                    case 0: break;
                    case 2: s += "=="; break;
                    case 3: s += "="; break;
                    default: throw BuiltinException.Error("illegal base64url string: " + s);
                }
            }
            return Str(Utf8(DecodeBase64(s, true)));
        });
        r.Register1("hex.encode", (a, _) => Str(Convert.ToHexString(Encoding.UTF8.GetBytes(Operand.AsString(a, 1))).ToLowerInvariant()));
        r.Register1("hex.decode", (a, _) => Str(Utf8(DecodeHex(Operand.AsString(a, 1)))));
        r.Register1("urlquery.encode", (a, _) => Str(QueryEscape(Operand.AsString(a, 1))));
        r.Register1("urlquery.decode", (a, _) => Str(QueryUnescape(Operand.AsString(a, 1))));
        r.Register1("urlquery.encode_object", (a, _) => Str(EncodeObject(Operand.AsObject(a, 1))));
        r.Register1("urlquery.decode_object", (a, _) => DecodeObject(Operand.AsString(a, 1)));
    }

    internal static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);

    internal static string ToBase64Url(byte[] bytes, bool pad)
    {
        string s = Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
        return pad ? s : s.TrimEnd('=');
    }

    internal static byte[] DecodeBase64(string s, bool url)
    {
        int bad = TryDecodeBase64(s, url, out var bytes);
        if (bad >= 0)
        {
            throw BuiltinException.Error("illegal base64 data at input byte " + bad.ToString(CultureInfo.InvariantCulture));
        }
        return bytes;
    }

    /// <summary>Strict (Go StdEncoding/URLEncoding) decoding; returns -1 on success or the offending byte offset. Newlines are ignored as in Go.</summary>
    internal static int TryDecodeBase64(string input, bool url, out byte[] bytes)
    {
        bytes = [];
        var clean = new StringBuilder(input.Length);
        var positions = new List<int>(input.Length);
        for (int i = 0; i < input.Length; i++)
        {
            if (input[i] is '\r' or '\n')
            {
                continue;
            }
            clean.Append(input[i]);
            positions.Add(i);
        }
        string s = clean.ToString();
        var output = new List<byte>(s.Length * 3 / 4);
        int idx = 0;
        while (idx < s.Length)
        {
            int[] q = new int[4];
            int n = 0;
            int j = idx;
            for (; n < 4; n++, j++)
            {
                if (j >= s.Length)
                {
                    if (n == 0)
                    {
                        break;
                    }
                    // Go reports an unpadded, incomplete final quantum at its first byte.
                    return positions[idx];
                }
                char c = s[j];
                if (c == '=')
                {
                    if (n < 2 || (n == 2 && (j + 1 >= s.Length || s[j + 1] != '=')))
                    {
                        return positions[j];
                    }
                    int end = n == 2 ? j + 2 : j + 1;
                    if (end < s.Length)
                    {
                        return positions[end];
                    }
                    break;
                }
                int v = DecodeChar(c, url);
                if (v < 0)
                {
                    return positions[j];
                }
                q[n] = v;
            }
            if (n >= 2)
            {
                output.Add((byte)((q[0] << 2) | (q[1] >> 4)));
            }
            if (n >= 3)
            {
                output.Add((byte)(((q[1] & 0xF) << 4) | (q[2] >> 2)));
            }
            if (n == 4)
            {
                output.Add((byte)(((q[2] & 0x3) << 6) | q[3]));
            }
            if (n < 4)
            {
                break;
            }
            idx = j;
        }
        bytes = [.. output];
        return -1;
    }

    private static int DecodeChar(char c, bool url) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' when !url => 62,
        '/' when !url => 63,
        '-' when url => 62,
        '_' when url => 63,
        _ => -1,
    };

    internal static byte[] DecodeHex(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (!char.IsAsciiHexDigit(s[i]))
            {
                int cp = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
                throw BuiltinException.Error($"encoding/hex: invalid byte: U+{cp:X4} '{char.ConvertFromUtf32(cp)}'");
            }
        }
        if (s.Length % 2 == 1)
        {
            throw BuiltinException.Error("encoding/hex: odd length hex string");
        }
        return Convert.FromHexString(s);
    }

    internal static string QueryEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(((int)b).ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return sb.ToString();
    }

    internal static string QueryUnescape(string s)
    {
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !Uri.IsHexDigit(s[i + 1]) || !Uri.IsHexDigit(s[i + 2]))
                {
                    string bad = s.Substring(i, Math.Min(3, s.Length - i));
                    throw BuiltinException.Error($"invalid URL escape \"{bad}\"");
                }
                bytes.Add(Convert.ToByte(s.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static string EncodeObject(RegoObject o)
    {
        var parts = new List<string>();
        foreach (var kv in o)
        {
            if (kv.Key is not RegoString k)
            {
                throw BuiltinException.TypeError("operand 1 must be object of strings but got object containing " + kv.Key.TypeName);
            }
            switch (kv.Value)
            {
                case RegoString s:
                    parts.Add(QueryEscape(k.Value) + "=" + QueryEscape(s.Value));
                    break;
                case RegoArray or RegoSet:
                    foreach (var e in Operand.AsArrayOrSet(kv.Value, 1))
                    {
                        if (e is not RegoString es)
                        {
                            throw BuiltinException.TypeError("operand 1 must be array of strings but got array containing " + e.TypeName);
                        }
                        parts.Add(QueryEscape(k.Value) + "=" + QueryEscape(es.Value));
                    }
                    break;
                default:
                    throw BuiltinException.TypeError("operand 1 must be one of {string, array, set} but got " + kv.Value.TypeName);
            }
        }
        return string.Join("&", parts);
    }

    private static RegoObject DecodeObject(string s)
    {
        var dict = new Dictionary<string, List<RegoValue>>(StringComparer.Ordinal);
        foreach (var part in s.Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }
            if (part.Contains(';', StringComparison.Ordinal))
            {
                throw BuiltinException.Error("invalid semicolon separator in query");
            }
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            string k = QueryUnescape(eq < 0 ? part : part[..eq]);
            string v = eq < 0 ? "" : QueryUnescape(part[(eq + 1)..]);
            if (!dict.TryGetValue(k, out var list))
            {
                list = [];
                dict[k] = list;
            }
            list.Add(Str(v));
        }
        return RegoObject.Create(dict.Select(kv => new KeyValuePair<string, RegoValue>(kv.Key, RegoArray.Create(kv.Value))));
    }
}
