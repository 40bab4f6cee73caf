using System.Globalization;
using System.Text;

namespace Higress.Opa.Syntax;

internal enum Tok
{
    Eof, Ident, String, Number, LBrace, RBrace, LBrack, RBrack, LParen, RParen, Dot, Comma, Semicolon, Colon,
    Assign, Unify, Eq, Neq, Lt, Gt, Lte, Gte, Plus, Minus, Star, Slash, Percent, Amp, Pipe, Template,
}

internal readonly record struct Token(Tok Kind, string Text, int Line, int Col, int Start, int End, bool NewlineBefore);

/// <summary>Turns Rego source into tokens. Comments and whitespace are skipped; newlines are recorded on the next token.</summary>
internal sealed class Lexer
{
    private readonly string _src;
    private readonly string _file;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public Lexer(string file, string src)
    {
        _file = file;
        _src = src;
    }

    /// <summary>Comment text (after '#') by line.</summary>
    public Dictionary<int, string> Comments { get; } = [];

    public List<Token> Tokenize()
    {
        var list = new List<Token>();
        while (true)
        {
            var t = Next();
            list.Add(t);
            if (t.Kind == Tok.Eof)
            {
                return list;
            }
        }
    }

    private RegoException Error(string msg, int line, int col) =>
        new(RegoErrorCodes.ParseError, msg, new RegoLocation(_file, line, col));

    private Token Next()
    {
        bool nl = false;
        while (_pos < _src.Length)
        {
            char c = _src[_pos];
            if (c == '\n')
            {
                nl = true;
                _pos++;
                _line++;
                _lineStart = _pos;
            }
            else if (c is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (c == '#')
            {
                int startComment = _pos + 1;
                while (_pos < _src.Length && _src[_pos] != '\n')
                {
                    _pos++;
                }
                Comments[_line] = _src[startComment.._pos].TrimEnd('\r');
            }
            else
            {
                break;
            }
        }
        int start = _pos;
        int line = _line;
        int col = _pos - _lineStart + 1;
        if (_pos >= _src.Length)
        {
            return new Token(Tok.Eof, "", line, col, start, start, nl);
        }
        char ch = _src[_pos];
        Token Make(Tok k, int len)
        {
            _pos += len;
            return new Token(k, _src.Substring(start, len), line, col, start, _pos, nl);
        }
        if (char.IsLetter(ch) || ch == '_')
        {
            int p = _pos;
            while (p < _src.Length && (char.IsLetterOrDigit(_src[p]) || _src[p] == '_'))
            {
                p++;
            }
            return Make(Tok.Ident, p - _pos);
        }
        if (char.IsAsciiDigit(ch))
        {
            int p = _pos;
            while (p < _src.Length && char.IsAsciiDigit(_src[p])) p++;
            if (p + 1 < _src.Length && _src[p] == '.' && char.IsAsciiDigit(_src[p + 1]))
            {
                p++;
                while (p < _src.Length && char.IsAsciiDigit(_src[p])) p++;
            }
            if (p < _src.Length && (_src[p] == 'e' || _src[p] == 'E'))
            {
                int q = p + 1;
                if (q < _src.Length && (_src[q] == '+' || _src[q] == '-')) q++;
                if (q < _src.Length && char.IsAsciiDigit(_src[q]))
                {
                    p = q;
                    while (p < _src.Length && char.IsAsciiDigit(_src[p])) p++;
                }
            }
            return Make(Tok.Number, p - _pos);
        }
        if (ch == '$' && (Peek(1) == '"' || Peek(1) == '`'))
        {
            int end = SkipTemplate(_pos + 1);
            if (end < 0) throw Error("non-terminated template string", line, col);
            for (int i = _pos; i < end; i++)
            {
                if (_src[i] == '\n') { _line++; _lineStart = i + 1; }
            }
            string inner = _src.Substring(_pos + 1, end - _pos);
            _pos = end + 1;
            return new Token(Tok.Template, inner, line, col, start, _pos, nl);
        }
        switch (ch)
        {
            case '"': return LexString(start, line, col, nl);
            case '`':
            {
                int end = _src.IndexOf('`', _pos + 1);
                if (end < 0) throw Error("non-terminated raw string", line, col);
                string raw = _src.Substring(_pos + 1, end - _pos - 1);
                for (int i = _pos; i < end; i++)
                {
                    if (_src[i] == '\n') { _line++; _lineStart = i + 1; }
                }
                _pos = end + 1;
                return new Token(Tok.String, raw, line, col, start, _pos, nl);
            }
            case '{': return Make(Tok.LBrace, 1);
            case '}': return Make(Tok.RBrace, 1);
            case '[': return Make(Tok.LBrack, 1);
            case ']': return Make(Tok.RBrack, 1);
            case '(': return Make(Tok.LParen, 1);
            case ')': return Make(Tok.RParen, 1);
            case '.': return Make(Tok.Dot, 1);
            case ',': return Make(Tok.Comma, 1);
            case ';': return Make(Tok.Semicolon, 1);
            case '+': return Make(Tok.Plus, 1);
            case '-': return Make(Tok.Minus, 1);
            case '*': return Make(Tok.Star, 1);
            case '/': return Make(Tok.Slash, 1);
            case '%': return Make(Tok.Percent, 1);
            case '&': return Make(Tok.Amp, 1);
            case '|': return Make(Tok.Pipe, 1);
            case ':': return Peek(1) == '=' ? Make(Tok.Assign, 2) : Make(Tok.Colon, 1);
            case '=': return Peek(1) == '=' ? Make(Tok.Eq, 2) : Make(Tok.Unify, 1);
            case '!':
                if (Peek(1) == '=') return Make(Tok.Neq, 2);
                break;
            case '<': return Peek(1) == '=' ? Make(Tok.Lte, 2) : Make(Tok.Lt, 1);
            case '>': return Peek(1) == '=' ? Make(Tok.Gte, 2) : Make(Tok.Gt, 1);
        }
        throw Error($"illegal token '{ch}'", line, col);
    }

    /// <summary>Given the index of a template's opening quote, returns the index of its closing quote (or -1).</summary>
    private int SkipTemplate(int open)
    {
        char q = _src[open];
        int p = open + 1;
        while (p < _src.Length)
        {
            char c = _src[p];
            if (c == '\\' && q == '"') { p += 2; continue; }
            if (c == '\\' && q == '`' && p + 1 < _src.Length && _src[p + 1] == '{') { p += 2; continue; }
            if (c == q) return p;
            if (c == '{')
            {
                p = SkipExpr(p + 1);
                if (p < 0) return -1;
                continue;
            }
            p++;
        }
        return -1;
    }

    /// <summary>Skips a template expression after its '{'; returns the index after the matching '}'.</summary>
    private int SkipExpr(int p)
    {
        int depth = 1;
        while (p < _src.Length)
        {
            char c = _src[p];
            if (c == '$' && p + 1 < _src.Length && (_src[p + 1] == '"' || _src[p + 1] == '`'))
            {
                int e = SkipTemplate(p + 1);
                if (e < 0) return -1;
                p = e + 1;
                continue;
            }
            if (c == '"')
            {
                p++;
                while (p < _src.Length && _src[p] != '"') p += _src[p] == '\\' ? 2 : 1;
                p++;
                continue;
            }
            if (c == '`')
            {
                int e = _src.IndexOf('`', p + 1);
                if (e < 0) return -1;
                p = e + 1;
                continue;
            }
            if (c == '{') depth++;
            if (c == '}' && --depth == 0) return p + 1;
            p++;
        }
        return -1;
    }

    private char Peek(int off) => _pos + off < _src.Length ? _src[_pos + off] : '\0';

    private Token LexString(int start, int line, int col, bool nl)
    {
        var sb = new StringBuilder();
        int p = _pos + 1;
        while (true)
        {
            if (p >= _src.Length || _src[p] == '\n')
            {
                throw Error("non-terminated string", line, col);
            }
            char c = _src[p];
            if (c == '"')
            {
                p++;
                break;
            }
            if (c == '\\')
            {
                if (p + 1 >= _src.Length) throw Error("non-terminated string", line, col);
                char e = _src[p + 1];
                p += 2;
                if (StringEscapes.TryDecode(e, out var decoded))
                {
                    sb.Append(decoded);
                    continue;
                }

                switch (e)
                {
                    case 'u':
                        if (p + 4 > _src.Length || !int.TryParse(_src.AsSpan(p, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp))
                        {
                            throw Error("invalid unicode escape in string", line, col);
                        }
                        sb.Append((char)cp);
                        p += 4;
                        break;
                    default:
                        throw Error($"invalid escape sequence \\{e} in string", line, col);
                }
                continue;
            }
            if (c < 0x20)
            {
                throw Error("invalid control character in string", line, col);
            }
            sb.Append(c);
            p++;
        }
        _pos = p;
        return new Token(Tok.String, sb.ToString(), line, col, start, p, nl);
    }
}
