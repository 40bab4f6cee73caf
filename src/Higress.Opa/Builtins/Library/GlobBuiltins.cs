using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>glob.match / glob.quote_meta with gobwas/glob syntax: * ? ** [abc] [!a-z] {a,b} and \ escapes.</summary>
internal static class GlobBuiltins
{
    private static readonly ConcurrentDictionary<(string Pattern, string Delims), string> Cache = new();

    public static void Register(BuiltinRegistry r)
    {
        r.Register3("glob.match", (p, d, m, ctx) =>
        {
            string pattern = Operand.AsString(p, 1);
            string delims;
            switch (d)
            {
                case RegoNull:
                    delims = "";
                    break;
                case RegoArray arr:
                    var sb = new StringBuilder();
                    foreach (var e in arr.AsSpan())
                    {
                        sb.Append(e is RegoString s ? s.Value : throw BuiltinException.TypeError($"operand 2 must be array of strings but got array containing {e.TypeName}"));
                    }
                    delims = sb.Length == 0 ? "." : sb.ToString();
                    break;
                default:
                    throw BuiltinException.OperandType(2, d, "array", "null");
            }
            string match = Operand.AsString(m, 3);
            if (Cache.Count > 10_000)
            {
                Cache.Clear();
            }
            string regex = Cache.GetOrAdd((pattern, delims), k => ToRegex(k.Pattern, k.Delims));
            return RegoValue.Boolean(Regex.IsMatch(match, regex, RegexOptions.Singleline | RegexOptions.CultureInvariant, ctx.RegexTimeout));
        });
        r.Register1("glob.quote_meta", (p, _) =>
        {
            var sb = new StringBuilder();
            foreach (char c in Operand.AsString(p, 1))
            {
                if (c is '*' or '?' or '\\' or '[' or ']' or '{' or '}')
                {
                    sb.Append('\\');
                }
                sb.Append(c);
            }
            return RegoString.Create(sb.ToString());
        });
    }

    private static string ToRegex(string pattern, string delims)
    {
        string notSep = delims.Length == 0 ? "." : "[^" + EscapeClass(delims) + "]";
        var sb = new StringBuilder("^");
        int i = 0;
        Parse(pattern, ref i, sb, notSep, 0);
        if (i < pattern.Length)
        {
            throw BuiltinException.Error($"unexpected '{pattern[i]}' in glob pattern {pattern}");
        }
        sb.Append("\\z");
        return sb.ToString();
    }

    private static string EscapeClass(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s)
        {
            if (c is '\\' or ']' or '[' or '^' or '-')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static void Parse(string p, ref int i, StringBuilder sb, string notSep, int depth)
    {
        while (i < p.Length)
        {
            char c = p[i];
            switch (c)
            {
                case '*':
                    if (i + 1 < p.Length && p[i + 1] == '*')
                    {
                        sb.Append(".*");
                        i += 2;
                    }
                    else
                    {
                        sb.Append(notSep).Append('*');
                        i++;
                    }
                    break;
                case '?':
                    sb.Append(notSep);
                    i++;
                    break;
                case '\\':
                    if (i + 1 >= p.Length)
                    {
                        throw BuiltinException.Error("unexpected end of input in glob pattern " + p);
                    }
                    sb.Append(Regex.Escape(p[i + 1].ToString()));
                    i += 2;
                    break;
                case '[':
                    {
                        int close = p.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            throw BuiltinException.Error("unexpected end of input in glob pattern " + p);
                        }
                        string body = p[(i + 1)..close];
                        bool neg = body.StartsWith('!');
                        if (neg)
                        {
                            body = body[1..];
                        }
                        sb.Append('[');
                        if (neg)
                        {
                            sb.Append('^');
                        }
                        foreach (char bc in body)
                        {
                            if (bc is '\\' or '[' or '^' or ']')
                            {
                                sb.Append('\\');
                            }
                            sb.Append(bc);
                        }
                        sb.Append(']');
                        i = close + 1;
                        break;
                    }
                case ']':
                    throw BuiltinException.Error($"input:{p}, pos:{i + 1}, set-close ']' with no preceding '[': the input provided is invalid");
                case '{':
                    sb.Append("(?:");
                    i++;
                    Parse(p, ref i, sb, notSep, depth + 1);
                    if (i >= p.Length || p[i] != '}')
                    {
                        throw BuiltinException.Error("unexpected end of input in glob pattern " + p);
                    }
                    sb.Append(')');
                    i++;
                    break;
                case '}' when depth > 0:
                    return;
                case ',' when depth > 0:
                    sb.Append('|');
                    i++;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    i++;
                    break;
            }
        }
    }
}
