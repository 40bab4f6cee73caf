using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

/// <summary>Recursive-descent parser for Rego v1 modules and queries.</summary>
internal sealed partial class Parser
{
    private readonly string _file;
    private readonly List<Token> _toks;
    private int _p;
    private int _wildcards;
    private readonly Dictionary<int, string> _comments;

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "package", "import", "as", "default", "else", "not", "some", "with", "if", "contains", "every", "in",
    };

    public Parser(string file, string src)
    {
        _file = file;
        var lexer = new Lexer(file, src);
        _toks = lexer.Tokenize();
        _comments = lexer.Comments;
    }

    private Token Cur => _toks[_p];

    private Token PeekTok(int n = 1) => _toks[Math.Min(_p + n, _toks.Count - 1)];

    private Token Advance() => _toks[_p++];

    private RegoLocation Loc(Token t) => new(_file, t.Line, t.Col);

    private RegoException Error(string msg, Token? at = null)
    {
        var t = at ?? Cur;
        return new RegoException(RegoErrorCodes.ParseError, msg, Loc(t));
    }

    private RegoException Unexpected()
    {
        var t = Cur;
        string what = t.Kind switch
        {
            Tok.Eof => "unexpected eof token",
            Tok.Ident when Keywords.Contains(t.Text) => $"unexpected {t.Text} keyword",
            Tok.Ident => "unexpected identifier token",
            Tok.String => "unexpected string token",
            Tok.Number => "unexpected number token",
            Tok.Assign => "unexpected assign token",
            _ => $"unexpected {t.Text} token",
        };
        return Error(what);
    }

    private bool IsIdent(string text) => Cur.Kind == Tok.Ident && Cur.Text == text && !IsKeywordRefHead();

    /// <summary>A keyword used as the head of a reference, e.g. <c>if.foo</c> or <c>false.x</c>.</summary>
    private bool IsKeywordRefHead()
    {
        var n = PeekTok();
        var n2 = PeekTok(2);
        return Cur.Kind == Tok.Ident && n.Kind == Tok.Dot && n.Start == Cur.End && n2.Kind == Tok.Ident && n2.Start == n.End;
    }

    private Token Expect(Tok kind, string what)
    {
        if (Cur.Kind != kind)
        {
            throw Cur.Kind == Tok.Eof ? Error($"unexpected eof token: expected {what}") : Error($"unexpected {Describe(Cur)} token: expected {what}");
        }
        return Advance();
    }

    private static string Describe(Token t) => t.Kind switch
    {
        Tok.Ident => Keywords.Contains(t.Text) ? t.Text : "identifier",
        Tok.String => "string",
        Tok.Number => "number",
        Tok.Assign => "assign",
        Tok.Eof => "eof",
        _ => t.Text,
    };

    private bool Adjacent() => _p > 0 && Cur.Start == _toks[_p - 1].End;

    public ModuleAst ParseModule()
    {
        var m = new ModuleAst(_file);
        if (!IsIdent("package"))
        {
            throw Cur.Kind == Tok.Eof ? Error("empty module") : Error("package expected");
        }
        var pkgTok = Advance();
        m.PackageLoc = Loc(pkgTok);
        m.PackageAnnotations = Annotations(pkgTok.Line, "package");
        var pkg = ParseRefOnly();
        foreach (var seg in RefSegments(pkg, allowVarHead: true))
        {
            m.Package.Add(seg);
        }
        if (m.Package.Count > 0 && m.Package[0] == "data")
        {
            m.Package.RemoveAt(0);
        }
        while (IsIdent("import"))
        {
            var it = Advance();
            var path = ParseRefOnly();
            string? alias = null;
            if (IsIdent("as"))
            {
                Advance();
                alias = Expect(Tok.Ident, "identifier").Text;
            }
            var rp = path as RefTerm ?? new RefTerm(path.Loc, path, []);
            m.Imports.Add(new ImportAst(Loc(it), rp, alias));
        }
        while (Cur.Kind != Tok.Eof)
        {
            if (IsIdent("import"))
            {
                throw Error("import must come before rules");
            }
            if (IsIdent("package"))
            {
                throw Error("unexpected package keyword");
            }
            ParseRule(m.Rules);
        }
        return m;
    }

    /// <summary>Parses a query (a body without braces).</summary>
    public Body ParseQuery()
    {
        var exprs = new List<Expr>();
        while (Cur.Kind != Tok.Eof)
        {
            exprs.Add(ParseLiteral());
            if (Cur.Kind == Tok.Semicolon)
            {
                Advance();
                continue;
            }
            if (Cur.Kind != Tok.Eof && !Cur.NewlineBefore)
            {
                throw Unexpected();
            }
        }
        if (exprs.Count == 0)
        {
            throw Error("empty query");
        }
        return new Body(exprs);
    }

    private IEnumerable<string> RefSegments(Term t, bool allowVarHead)
    {
        if (t is VarTerm v)
        {
            yield return v.Name;
            yield break;
        }
        if (t is RefTerm r && r.Head is VarTerm h)
        {
            yield return h.Name;
            foreach (var p in r.Path)
            {
                if (p is ScalarTerm { Value: RegoString s })
                {
                    yield return s.Value;
                }
                else
                {
                    throw new RegoException(RegoErrorCodes.ParseError, "unexpected non-string path segment", p.Loc);
                }
            }
            yield break;
        }
        _ = allowVarHead;
        throw new RegoException(RegoErrorCodes.ParseError, "expected a reference", t.Loc);
    }

    private Term ParseRefOnly()
    {
        var t = Cur;
        if (t.Kind != Tok.Ident)
        {
            throw Unexpected();
        }
        Advance();
        Term head = new VarTerm(Loc(t), t.Text);
        return ParseRefSuffix(head, allowCall: false);
    }

    private string NewWildcard() => "__wc" + (_wildcards++).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
