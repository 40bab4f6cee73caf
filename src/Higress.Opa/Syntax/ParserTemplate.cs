using System.Globalization;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

internal sealed partial class Parser
{
    private int _templateVars;

    /// <summary>
    /// Desugars a template string <c>$"a {expr} b"</c> into <c>internal.template_string(["a ", [v | v = expr], " b"])</c>:
    /// each expression becomes an array comprehension (empty when undefined).
    /// </summary>
    private Term ParseTemplate(Token t)
    {
        var loc = Loc(t);
        bool quoted = t.Text[0] == '"';
        string content = t.Text[1..^1];
        var parts = new List<Term>();
        var lit = new StringBuilder();
        int i = 0;
        while (i < content.Length)
        {
            char c = content[i];
            if (c == '\\' && i + 1 < content.Length && content[i + 1] == '{')
            {
                lit.Append('{');
                i += 2;
                continue;
            }
            if (c == '\\' && quoted && i + 1 < content.Length)
            {
                char e = content[i + 1];
                i += 2;
                switch (e)
                {
                    case 'n': lit.Append('\n'); break;
                    case 't': lit.Append('\t'); break;
                    case 'r': lit.Append('\r'); break;
                    case 'b': lit.Append('\b'); break;
                    case 'f': lit.Append('\f'); break;
                    case 'u' when i + 4 <= content.Length:
                        lit.Append((char)int.Parse(content.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    default: lit.Append(e); break;
                }
                continue;
            }
            if (c == '{')
            {
                int end = FindExprEnd(content, i + 1);
                if (end < 0)
                {
                    throw Error("unterminated template expression", t);
                }
                if (lit.Length > 0)
                {
                    parts.Add(new ScalarTerm(loc, RegoString.Create(lit.ToString())));
                    lit.Clear();
                }
                parts.Add(TemplateExpr(content[(i + 1)..end], loc));
                i = end + 1;
                continue;
            }
            lit.Append(c);
            i++;
        }
        if (lit.Length > 0)
        {
            parts.Add(new ScalarTerm(loc, RegoString.Create(lit.ToString())));
        }
        return Call(loc, "internal.template_string", new ArrayTerm(loc, parts.ToArray()));
    }

    private static int FindExprEnd(string s, int p)
    {
        int depth = 1;
        while (p < s.Length)
        {
            char c = s[p];
            if (c == '"')
            {
                p++;
                while (p < s.Length && s[p] != '"') p += s[p] == '\\' ? 2 : 1;
                p++;
                continue;
            }
            if (c == '`')
            {
                int e = s.IndexOf('`', p + 1);
                if (e < 0) return -1;
                p = e + 1;
                continue;
            }
            if (c == '{') depth++;
            if (c == '}' && --depth == 0) return p;
            p++;
        }
        return -1;
    }

    private Term TemplateExpr(string text, RegoLocation loc)
    {
        var sub = new Parser(_file, text) { _wildcards = _wildcards + 1000, _templateVars = _templateVars + 1000 };
        var expr = sub.ParseLiteral();
        if (sub.Cur.Kind != Tok.Eof)
        {
            throw sub.Unexpected();
        }
        string name = "__tpl" + (_templateVars++).ToString(CultureInfo.InvariantCulture) + "_" + loc.Line.ToString(CultureInfo.InvariantCulture) + "_" + loc.Column.ToString(CultureInfo.InvariantCulture);
        var v = new VarTerm(loc, name);
        var unify = new Expr(expr.Loc, ExprKind.Unify) { A = v, B = expr.A };
        unify.Withs.AddRange(expr.Withs);
        var result = new VarTerm(loc, name);
        return new ComprehensionTerm(loc, ComprehensionKind.Array, null, result, new Body([unify]));
    }
}
