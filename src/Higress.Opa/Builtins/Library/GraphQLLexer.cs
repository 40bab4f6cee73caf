using Higress.Opa.Syntax;
using System.Globalization;
using System.Text;

namespace Higress.Opa.Builtins.Library;

/// <summary>GraphQL lexer following vektah/gqlparser (token kinds, names and positions used in its error messages).</summary>
internal sealed class GraphQLLexer(string src)
{
    internal enum Kind { Invalid, EOF, Bang, Dollar, Amp, ParenL, ParenR, Spread, Colon, Equals, At, BracketL, BracketR, BraceL, BraceR, Pipe, Name, Int, Float, String, BlockString }

    internal readonly record struct Token(Kind Kind, string Value, int Line, int Column)
    {
        public string KindName => KindText(Kind);

        public override string ToString() => Value.Length > 0 && Kind is Kind.Name or Kind.Int or Kind.Float or Kind.String or Kind.BlockString
            ? KindName + " " + Quote(Value)
            : KindName;
    }

    public static string KindText(Kind k) => k switch
    {
        Kind.Invalid => "<Invalid>",
        Kind.EOF => "<EOF>",
        Kind.Bang => "!",
        Kind.Dollar => "$",
        Kind.Amp => "&",
        Kind.ParenL => "(",
        Kind.ParenR => ")",
        Kind.Spread => "...",
        Kind.Colon => ":",
        Kind.Equals => "=",
        Kind.At => "@",
        Kind.BracketL => "[",
        Kind.BracketR => "]",
        Kind.BraceL => "{",
        Kind.BraceR => "}",
        Kind.Pipe => "|",
        _ => k.ToString(),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder();
        Higress.Opa.Values.RegoString.AppendQuoted(sb, s);
        return sb.ToString();
    }

    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public Token Next()
    {
        SkipIgnored();
        int line = _line, col = _pos - _lineStart + 1;
        if (_pos >= src.Length)
        {
            return new Token(Kind.EOF, "", line, col);
        }
        char c = src[_pos];
        Token Punct(Kind k, int len = 1)
        {
            _pos += len;
            return new Token(k, "", line, col);
        }
        switch (c)
        {
            case '!': return Punct(Kind.Bang);
            case '$': return Punct(Kind.Dollar);
            case '&': return Punct(Kind.Amp);
            case '(': return Punct(Kind.ParenL);
            case ')': return Punct(Kind.ParenR);
            case ':': return Punct(Kind.Colon);
            case '=': return Punct(Kind.Equals);
            case '@': return Punct(Kind.At);
            case '[': return Punct(Kind.BracketL);
            case ']': return Punct(Kind.BracketR);
            case '{': return Punct(Kind.BraceL);
            case '}': return Punct(Kind.BraceR);
            case '|': return Punct(Kind.Pipe);
            case '.':
                if (_pos + 2 < src.Length + 0 && string.CompareOrdinal(src, _pos, "...", 0, 3) == 0)
                {
                    return Punct(Kind.Spread, 3);
                }
                return new Token(Kind.Invalid, "", line, col);
            case '"':
                return _pos + 2 < src.Length && src[_pos + 1] == '"' && src[_pos + 2] == '"' ? BlockString(line, col) : String(line, col);
        }
        if (c == '_' || char.IsAsciiLetter(c))
        {
            int start = _pos;
            while (_pos < src.Length && (src[_pos] == '_' || char.IsAsciiLetterOrDigit(src[_pos]))) _pos++;
            return new Token(Kind.Name, src[start.._pos], line, col);
        }
        if (c == '-' || char.IsAsciiDigit(c))
        {
            return Number(line, col);
        }
        return new Token(Kind.Invalid, "", line, col);
    }

    private void NewLine(int next)
    {
        _line++;
        _lineStart = next;
    }

    private void SkipIgnored()
    {
        while (_pos < src.Length)
        {
            char c = src[_pos];
            if (c is ' ' or '\t' or ',' or '\uFEFF')
            {
                _pos++;
            }
            else if (c == '\n')
            {
                _pos++;
                NewLine(_pos);
            }
            else if (c == '\r')
            {
                _pos += _pos + 1 < src.Length && src[_pos + 1] == '\n' ? 2 : 1;
                NewLine(_pos);
            }
            else if (c == '#')
            {
                while (_pos < src.Length && src[_pos] is not ('\n' or '\r')) _pos++;
            }
            else
            {
                break;
            }
        }
    }

    private Token Number(int line, int col)
    {
        int start = _pos;
        bool isFloat = false;
        if (src[_pos] == '-') _pos++;
        if (_pos < src.Length && src[_pos] == '0')
        {
            _pos++;
            if (_pos < src.Length && char.IsAsciiDigit(src[_pos])) return new Token(Kind.Invalid, "", line, col);
        }
        else if (!Digits())
        {
            return new Token(Kind.Invalid, "", line, col);
        }
        if (_pos < src.Length && src[_pos] == '.')
        {
            isFloat = true;
            _pos++;
            if (!Digits()) return new Token(Kind.Invalid, "", line, col);
        }
        if (_pos < src.Length && src[_pos] is 'e' or 'E')
        {
            isFloat = true;
            _pos++;
            if (_pos < src.Length && src[_pos] is '+' or '-') _pos++;
            if (!Digits()) return new Token(Kind.Invalid, "", line, col);
        }
        if (_pos < src.Length && (src[_pos] is '.' or '_' || char.IsAsciiLetter(src[_pos])))
        {
            return new Token(Kind.Invalid, "", line, col);
        }
        return new Token(isFloat ? Kind.Float : Kind.Int, src[start.._pos], line, col);
    }

    private bool Digits()
    {
        int s = _pos;
        while (_pos < src.Length && char.IsAsciiDigit(src[_pos])) _pos++;
        return _pos > s;
    }

    private Token String(int line, int col)
    {
        _pos++;
        var sb = new StringBuilder();
        while (_pos < src.Length)
        {
            char c = src[_pos];
            if (c == '"')
            {
                _pos++;
                // gqlparser positions a string token after its opening quote.
                return new Token(Kind.String, sb.ToString(), line, col + 1);
            }
            if (c is '\n' or '\r')
            {
                break;
            }
            if (c == '\\')
            {
                if (_pos + 1 >= src.Length) break;
                char e = src[_pos + 1];
                _pos += 2;
                if (StringEscapes.TryDecode(e, out var decoded))
                {
                    sb.Append(decoded);
                    continue;
                }

                switch (e)
                {
                    case 'u' when _pos + 4 <= src.Length && int.TryParse(src.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int u):
                        sb.Append((char)u);
                        _pos += 4;
                        break;
                    default:
                        return new Token(Kind.Invalid, "", line, col);
                }
                continue;
            }
            sb.Append(c);
            _pos++;
        }
        return new Token(Kind.Invalid, "", _line, _pos - _lineStart + 1);
    }

    private Token BlockString(int line, int col)
    {
        _pos += 3;
        var raw = new StringBuilder();
        while (_pos < src.Length)
        {
            if (string.CompareOrdinal(src, _pos, "\"\"\"", 0, 3) == 0 && _pos + 3 <= src.Length)
            {
                _pos += 3;
                return new Token(Kind.BlockString, BlockValue(raw.ToString()), line, col);
            }
            if (string.CompareOrdinal(src, _pos, "\\\"\"\"", 0, 4) == 0 && _pos + 4 <= src.Length)
            {
                raw.Append("\"\"\"");
                _pos += 4;
                continue;
            }
            char c = src[_pos];
            raw.Append(c);
            _pos++;
            if (c == '\n' || (c == '\r' && !(_pos < src.Length && src[_pos] == '\n')))
            {
                NewLine(_pos);
            }
        }
        return new Token(Kind.Invalid, "", _line, _pos - _lineStart + 1);
    }

    private static string BlockValue(string raw)
    {
        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        int common = int.MaxValue;
        for (int i = 1; i < lines.Length; i++)
        {
            int indent = lines[i].TakeWhile(ch => ch is ' ' or '\t').Count();
            if (indent < lines[i].Length && indent < common) common = indent;
        }
        if (common != int.MaxValue)
        {
            for (int i = 1; i < lines.Length; i++)
            {
                lines[i] = lines[i].Length >= common ? lines[i][common..] : "";
            }
        }
        var list = lines.ToList();
        while (list.Count > 0 && list[0].All(ch => ch is ' ' or '\t')) list.RemoveAt(0);
        while (list.Count > 0 && list[^1].All(ch => ch is ' ' or '\t')) list.RemoveAt(list.Count - 1);
        return string.Join("\n", list);
    }
}
