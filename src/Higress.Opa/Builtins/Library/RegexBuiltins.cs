using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

// RE2 (Go regexp) versus .NET Regex: differences and what this file does about them.
// * Translated here (cheaply, outside character classes unless noted):
//   - `(?P<name>...)` named groups -> `(?<name>...)`.
//   - `\Q...\E` literal spans -> escaped text.
//   - `\pL` / `\PL` one-letter Unicode classes -> `\p{L}` / `\P{L}`.
//   - POSIX classes inside brackets (`[[:alpha:]]`, `[[:^digit:]]`, ...) -> ASCII ranges.
//   - `\d`, `\w`, `\s` (and `\D`, `\W`, `\S`) are ASCII-only in RE2 -> explicit ASCII classes (also inside brackets).
//   - `$` without the `m` flag means end of text in RE2 but "end or before a final \n" in .NET -> `(?!\n)$` is not needed:
//     we emit `\z` when the pattern has no inline flags group.
//   - `\z` is the same in both. RE2 has no `\Z`; .NET accepts it (we leave it).
// * Not translated (known gaps): RE2 guarantees linear time (no backtracking); .NET may backtrack, so every call gets
//   ctx.RegexTimeout. RE2 rejects backreferences and lookarounds that .NET accepts (so some invalid RE2 patterns are
//   valid here). `(?U)` (ungreedy) is unsupported in .NET. Go's "leftmost-first" semantics match .NET's.
//   Go's replacement template `$1x` (group named "1x") differs from .NET (`$1` then "x").
// * Go's FindAll skips an empty match right after a previous match; FindAll below reproduces that.
internal static class RegexBuiltins
{
    private static readonly ConcurrentDictionary<string, (string? Pattern, string? Error)> Translations = new(StringComparer.Ordinal);

    private const RegexOptions Options = RegexOptions.CultureInvariant;

    public static void Register(BuiltinRegistry r)
    {
        r.Register2("regex.match", (p, v, ctx) => IsMatch(Operand.AsString(p, 1), Operand.AsString(v, 2), ctx));
        r.Register2("re_match", (p, v, ctx) => IsMatch(Operand.AsString(p, 1), Operand.AsString(v, 2), ctx));
        r.Register1("regex.is_valid", (p, _) => RegoValue.Boolean(p is RegoString s && Translate(s.Value).Error is null));
        r.Register3("regex.find_n", (p, v, n, ctx) =>
        {
            var matches = FindAll(Compile(Operand.AsString(p, 1)), Operand.AsString(v, 2), Operand.AsInt32(n, 3), ctx);
            return RegoArray.Create(matches.Select(m => (RegoValue)RegoString.Create(m.Value)));
        });
        r.Register3("regex.find_all_string_submatch_n", (p, v, n, ctx) =>
        {
            var matches = FindAll(Compile(Operand.AsString(p, 1)), Operand.AsString(v, 2), Operand.AsInt32(n, 3), ctx);
            return RegoArray.Create(matches.Select(m => (RegoValue)RegoArray.Create(
                m.Groups.Cast<Group>().Select(g => (RegoValue)RegoString.Create(g.Success ? g.Value : "")))));
        });
        r.Register2("regex.split", (p, v, ctx) => Split(Compile(Operand.AsString(p, 1)), Operand.AsString(v, 2), ctx));
        r.Register3("regex.replace", (s, p, v, ctx) =>
        {
            string input = Operand.AsString(s, 1);
            string pattern = Compile(Operand.AsString(p, 2));
            string replacement = Operand.AsString(v, 3);
            return RegoString.Create(Regex.Replace(input, pattern, replacement, Options, ctx.RegexTimeout));
        });
        r.Register4("regex.template_match", (t, v, ds, de, ctx) =>
        {
            string template = Operand.AsString(t, 1);
            string value = Operand.AsString(v, 2);
            string start = Operand.AsString(ds, 3);
            string end = Operand.AsString(de, 4);
            return RegoValue.Boolean(Regex.IsMatch(value, TemplatePattern(template, start, end), Options, ctx.RegexTimeout));
        });
    }

    private static RegoBoolean IsMatch(string pattern, string value, BuiltinContext ctx) =>
        RegoValue.Boolean(Regex.IsMatch(value, Compile(pattern), Options, ctx.RegexTimeout));

    /// <summary>The .NET pattern for an RE2 pattern; throws OPA's error when invalid.</summary>
    internal static string Compile(string pattern)
    {
        var (p, err) = Translate(pattern);
        return p ?? throw BuiltinException.Error(err!);
    }

    private static (string? Pattern, string? Error) Translate(string pattern)
    {
        if (Translations.TryGetValue(pattern, out var cached))
        {
            return cached;
        }
        (string?, string?) result;
        try
        {
            string translated = ToDotNet(pattern);
            _ = new Regex(translated, Options);
            result = (translated, null);
        }
        catch (ArgumentException e)
        {
            result = (null, "error parsing regexp: " + GoMessage(e) + ": `" + pattern + "`");
        }
        if (Translations.Count > 10_000)
        {
            Translations.Clear();
        }
        Translations[pattern] = result;
        return result;
    }

    /// <summary>Go's wording for the common parse errors; .NET's own message otherwise.</summary>
    private static string GoMessage(ArgumentException e)
    {
        if (e is RegexParseException rpe)
        {
            switch (rpe.Error)
            {
                case RegexParseError.InsufficientClosingParentheses: return "missing closing )";
                case RegexParseError.InsufficientOpeningParentheses: return "unexpected )";
                case RegexParseError.UnterminatedBracket: return "missing closing ]";
                case RegexParseError.QuantifierAfterNothing:
                case RegexParseError.NestedQuantifiersNotParenthesized: return "missing argument to repetition operator";
                case RegexParseError.UnescapedEndingBackslash: return "trailing backslash at end of expression";
                case RegexParseError.ReversedCharacterRange: return "invalid character class range";
                case RegexParseError.ReversedQuantifierRange: return "invalid repeat count";
            }
        }
        string msg = e.Message;
        int i = msg.IndexOf(". ", StringComparison.Ordinal);
        return (i >= 0 ? msg[(i + 2)..] : msg).TrimEnd('.');
    }

    private const string AsciiDigit = "0-9", AsciiWord = "0-9A-Za-z_", AsciiSpace = "\\t\\n\\f\\r ";

    private static string ToDotNet(string p)
    {
        var sb = new StringBuilder(p.Length + 8);
        bool hasFlags = p.Contains("(?", StringComparison.Ordinal) && Regex.IsMatch(p, @"\(\?[a-zA-Z]*m", RegexOptions.None, TimeSpan.FromSeconds(1));
        bool inClass = false;
        for (int i = 0; i < p.Length; i++)
        {
            char c = p[i];
            if (c == '\\' && i + 1 < p.Length)
            {
                char n = p[i + 1];
                switch (n)
                {
                    case 'Q':
                        int end = p.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                        string lit = end < 0 ? p[(i + 2)..] : p[(i + 2)..end];
                        sb.Append(Regex.Escape(lit));
                        i = end < 0 ? p.Length : end + 1;
                        continue;
                    case 'p' or 'P' when i + 2 < p.Length && p[i + 2] != '{':
                        sb.Append('\\').Append(n).Append('{').Append(p[i + 2]).Append('}');
                        i += 2;
                        continue;
                    case 'd':
                        sb.Append(inClass ? AsciiDigit : "[" + AsciiDigit + "]");
                        i++;
                        continue;
                    case 'w':
                        sb.Append(inClass ? AsciiWord : "[" + AsciiWord + "]");
                        i++;
                        continue;
                    case 's':
                        sb.Append(inClass ? AsciiSpace : "[" + AsciiSpace + "]");
                        i++;
                        continue;
                    case 'D' when !inClass:
                        sb.Append("[^" + AsciiDigit + "]");
                        i++;
                        continue;
                    case 'W' when !inClass:
                        sb.Append("[^" + AsciiWord + "]");
                        i++;
                        continue;
                    case 'S' when !inClass:
                        sb.Append("[^" + AsciiSpace + "]");
                        i++;
                        continue;
                    default:
                        sb.Append(c).Append(n);
                        i++;
                        continue;
                }
            }
            if (inClass)
            {
                if (c == '[' && i + 1 < p.Length && p[i + 1] == ':')
                {
                    int close = p.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (close > 0)
                    {
                        string name = p[(i + 2)..close];
                        bool neg = name.StartsWith('^');
                        string? cls = Posix(neg ? name[1..] : name);
                        if (cls is not null && !neg)
                        {
                            sb.Append(cls);
                            i = close + 1;
                            continue;
                        }
                    }
                }
                if (c == ']')
                {
                    inClass = false;
                }
                sb.Append(c);
                continue;
            }
            if (c == '[')
            {
                inClass = true;
                sb.Append(c);
                if (i + 1 < p.Length && p[i + 1] == '^')
                {
                    sb.Append('^');
                    i++;
                }
                if (i + 1 < p.Length && p[i + 1] == ']')
                {
                    sb.Append("\\]");
                    i++;
                }
                continue;
            }
            if (c == '(' && i + 2 < p.Length && p[i + 1] == '?' && p[i + 2] == 'P' && i + 3 < p.Length && p[i + 3] == '<')
            {
                sb.Append("(?");
                i += 2;
                continue;
            }
            if (c == '$' && !hasFlags)
            {
                sb.Append("\\z");
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    private static string? Posix(string name) => name switch
    {
        "alpha" => "A-Za-z",
        "digit" => "0-9",
        "alnum" => "0-9A-Za-z",
        "upper" => "A-Z",
        "lower" => "a-z",
        "space" => "\\t\\n\\v\\f\\r ",
        "xdigit" => "0-9A-Fa-f",
        "word" => "0-9A-Za-z_",
        "punct" => "!-/:-@\\[-`{-~",
        "blank" => "\\t ",
        "cntrl" => "\\x00-\\x1F\\x7F",
        "print" => " -~",
        "graph" => "!-~",
        "ascii" => "\\x00-\\x7F",
        _ => null,
    };

    /// <summary>Go's FindAll: at most n matches (n &lt; 0: all), skipping empty matches that abut the previous match.</summary>
    internal static List<Match> FindAll(string pattern, string input, int n, BuiltinContext ctx)
    {
        var list = new List<Match>();
        if (n == 0)
        {
            return list;
        }
        int prevEnd = -1;
        var m = Regex.Match(input, pattern, Options, ctx.RegexTimeout);
        while (m.Success)
        {
            if (!(m.Length == 0 && m.Index == prevEnd))
            {
                list.Add(m);
                if (n > 0 && list.Count >= n)
                {
                    break;
                }
            }
            prevEnd = m.Index + m.Length;
            if ((list.Count & 1023) == 1023)
            {
                ctx.CheckLimits();
            }
            m = m.NextMatch();
        }
        return list;
    }

    private static RegoArray Split(string pattern, string s, BuiltinContext ctx)
    {
        if (s.Length == 0)
        {
            return RegoArray.Create(RegoString.Empty);
        }
        var parts = new List<RegoValue>();
        int beg = 0, end = 0;
        foreach (var m in FindAll(pattern, s, -1, ctx))
        {
            end = m.Index;
            if (m.Index + m.Length != 0)
            {
                parts.Add(RegoString.Create(s[beg..end]));
            }
            beg = m.Index + m.Length;
        }
        if (end != s.Length)
        {
            parts.Add(RegoString.Create(s[beg..]));
        }
        return RegoArray.Create(parts);
    }

    private static string TemplatePattern(string template, string start, string end)
    {
        var sb = new StringBuilder("^");
        int i = 0;
        while (i < template.Length)
        {
            int s = start.Length == 0 ? -1 : template.IndexOf(start, i, StringComparison.Ordinal);
            if (s < 0)
            {
                sb.Append(Regex.Escape(template[i..]));
                break;
            }
            sb.Append(Regex.Escape(template[i..s]));
            int depth = 1;
            int j = s + start.Length;
            int innerStart = j;
            while (j < template.Length && depth > 0)
            {
                if (string.CompareOrdinal(template, j, end, 0, end.Length) == 0)
                {
                    depth--;
                    if (depth == 0)
                    {
                        break;
                    }
                    j += end.Length;
                    continue;
                }
                if (string.CompareOrdinal(template, j, start, 0, start.Length) == 0)
                {
                    depth++;
                    j += start.Length;
                    continue;
                }
                j++;
            }
            if (depth != 0)
            {
                throw BuiltinException.Error($"unbalanced braces in template: {template}");
            }
            sb.Append('(').Append(Compile(template[innerStart..j])).Append(')');
            i = j + end.Length;
        }
        sb.Append("\\z");
        return sb.ToString();
    }
}
