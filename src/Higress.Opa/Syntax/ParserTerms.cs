using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

internal sealed partial class Parser
{
    private static VarTerm BuiltinRef(RegoLocation loc, string name) => new(loc, name);

    private static CallTerm Call(RegoLocation loc, string op, params Term[] args) => new(loc, BuiltinRef(loc, op), args);

    /// <summary>Parses <c>, v in xs</c> (and any further <c>in ys</c>) after <paramref name="key"/>; the comma is current.</summary>
    private Term ParseKeyValueMembership(RegoLocation loc, Term key)
    {
        Advance();
        var value = ParseTermRelation();
        if (!IsIdent("in"))
        {
            throw Unexpected();
        }

        Advance();
        Term call = Call(loc, "internal.member_3", key, value, ParseTermRelation());
        while (IsIdent("in"))
        {
            var it = Advance();
            call = Call(Loc(it), "internal.member_2", call, ParseTermRelation());
        }

        return call;
    }

    private Term ParseTerm(bool noPipe = false)
    {
        var left = ParseTermRelation(noPipe);
        while (IsIdent("in"))
        {
            var t = Advance();
            var right = ParseTermRelation(noPipe);
            left = Call(Loc(t), "internal.member_2", left, right);
        }
        return left;
    }

    private Term ParseTermRelation(bool noPipe = false)
    {
        var left = ParseTermOr(noPipe);
        while (true)
        {
            string? op = Cur.Kind switch
            {
                Tok.Eq => "equal",
                Tok.Neq => "neq",
                Tok.Lt => "lt",
                Tok.Gt => "gt",
                Tok.Lte => "lte",
                Tok.Gte => "gte",
                _ => null,
            };
            if (op is null)
            {
                return left;
            }
            var t = Advance();
            var right = ParseTermOr(noPipe);
            left = Call(Loc(t), op, left, right);
        }
    }

    private Term ParseTermOr(bool noPipe)
    {
        var left = ParseTermAnd();
        while (!noPipe && Cur.Kind == Tok.Pipe)
        {
            var t = Advance();
            var right = ParseTermAnd();
            left = Call(Loc(t), "or", left, right);
        }
        return left;
    }

    private Term ParseTermAnd()
    {
        var left = ParseTermArith();
        while (Cur.Kind == Tok.Amp)
        {
            var t = Advance();
            var right = ParseTermArith();
            left = Call(Loc(t), "and", left, right);
        }
        return left;
    }

    private Term ParseTermArith()
    {
        var left = ParseTermFactor();
        while (Cur.Kind is Tok.Plus or Tok.Minus)
        {
            var t = Advance();
            var right = ParseTermFactor();
            left = Call(Loc(t), t.Kind == Tok.Plus ? "plus" : "minus", left, right);
        }
        return left;
    }

    private Term ParseTermFactor()
    {
        var left = ParsePrimary();
        while (Cur.Kind is Tok.Star or Tok.Slash or Tok.Percent)
        {
            var t = Advance();
            var right = ParsePrimary();
            left = Call(Loc(t), t.Kind switch { Tok.Star => "mul", Tok.Slash => "div", _ => "rem" }, left, right);
        }
        return left;
    }

    private int _nesting;

    private Term ParsePrimary()
    {
        if (++_nesting > 512 || !System.Runtime.CompilerServices.RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Error("term nesting too deep");
        }
        try
        {
            return ParsePrimaryCore();
        }
        finally
        {
            _nesting--;
        }
    }

    private Term ParsePrimaryCore()
    {
        var t = Cur;
        var loc = Loc(t);
        switch (t.Kind)
        {
            case Tok.Number:
                Advance();
                return ParseRefSuffix(new ScalarTerm(loc, ParseNumber(t, negative: false)), allowCall: false);
            case Tok.String:
                Advance();
                return ParseRefSuffix(new ScalarTerm(loc, RegoString.Create(t.Text)), allowCall: false);
            case Tok.Template:
                Advance();
                return ParseTemplate(t);
            case Tok.Minus:
            {
                Advance();
                if (Cur.Kind == Tok.Number && Adjacent())
                {
                    var n = Advance();
                    return new ScalarTerm(loc, ParseNumber(n, negative: true));
                }
                var operand = ParsePrimary();
                return Call(loc, "minus", new ScalarTerm(loc, RegoNumber.Zero), operand);
            }
            case Tok.LParen:
            {
                Advance();
                var inner = ParseTerm();
                if (Cur.Kind == Tok.Comma)
                {
                    inner = ParseKeyValueMembership(loc, inner);
                }
                Expect(Tok.RParen, ")");
                return ParseRefSuffix(inner, allowCall: false);
            }
            case Tok.LBrack:
                return ParseRefSuffix(ParseArray(), allowCall: false);
            case Tok.LBrace:
                return ParseRefSuffix(ParseBraced(), allowCall: false);
            case Tok.Ident when IsKeywordRefHead():
                Advance();
                return ParseRefSuffix(new VarTerm(loc, t.Text), allowCall: true);
            case Tok.Ident:
            {
                switch (t.Text)
                {
                    case "true":
                        Advance();
                        return new ScalarTerm(loc, RegoBoolean.True);
                    case "false":
                        Advance();
                        return new ScalarTerm(loc, RegoBoolean.False);
                    case "null":
                        Advance();
                        return new ScalarTerm(loc, RegoNull.Instance);
                    case "set" when PeekTok().Kind == Tok.LParen && PeekTok(2).Kind == Tok.RParen:
                        Advance();
                        Advance();
                        Advance();
                        return new SetTerm(loc, []);
                }
                if (Keywords.Contains(t.Text) && !(PeekTok().Kind == Tok.LParen && PeekTok().Start == t.End && t.Text is "contains"))
                {
                    throw Unexpected();
                }
                Advance();
                string name = t.Text == "_" ? NewWildcard() : t.Text;
                return ParseRefSuffix(new VarTerm(loc, name), allowCall: true);
            }
            default:
                throw Unexpected();
        }
    }

    private RegoNumber ParseNumber(Token t, bool negative)
    {
        var n = RegoNumber.TryParse(negative ? "-" + t.Text : t.Text);
        if (n is null)
        {
            throw Error("invalid number", t);
        }
        return n;
    }

    private Term ParseRefSuffix(Term head, bool allowCall)
    {
        var path = new List<Term>();
        Term current = head;
        while (true)
        {
            if (Cur.Kind == Tok.Dot && Adjacent())
            {
                Advance();
                var id = Cur;
                if (id.Kind != Tok.Ident)
                {
                    throw Error("unexpected " + Describe(id) + " token: expected ident");
                }
                Advance();
                path.Add(new ScalarTerm(Loc(id), RegoString.Create(id.Text)));
            }
            else if (Cur.Kind == Tok.LBrack && Adjacent())
            {
                Advance();
                path.Add(ParseTerm());
                Expect(Tok.RBrack, "]");
            }
            else if (Cur.Kind == Tok.LParen && Adjacent() && allowCall)
            {
                var lp = Advance();
                var op = path.Count == 0 ? current : new RefTerm(current.Loc, current, path.ToArray());
                var args = new List<Term>();
                if (Cur.Kind != Tok.RParen)
                {
                    while (true)
                    {
                        args.Add(ParseTerm());
                        if (Cur.Kind == Tok.Comma)
                        {
                            Advance();
                            if (Cur.Kind == Tok.RParen) break;
                            continue;
                        }
                        break;
                    }
                }
                Expect(Tok.RParen, ")");
                _ = lp;
                current = new CallTerm(op.Loc, op, args.ToArray());
                path.Clear();
                allowCall = false;
            }
            else
            {
                break;
            }
        }
        return path.Count == 0 ? current : new RefTerm(current.Loc, current, path.ToArray());
    }

    private Term ParseArray()
    {
        var open = Advance();
        var loc = Loc(open);
        if (Cur.Kind == Tok.RBrack)
        {
            Advance();
            return new ArrayTerm(loc, []);
        }
        var first = ParseTerm(noPipe: true);
        if (Cur.Kind == Tok.Pipe)
        {
            Advance();
            var body = ParseComprehensionBody(Tok.RBrack);
            return new ComprehensionTerm(loc, ComprehensionKind.Array, null, first, body);
        }
        var items = new List<Term> { first };
        while (Cur.Kind == Tok.Comma)
        {
            Advance();
            if (Cur.Kind == Tok.RBrack)
            {
                break;
            }
            items.Add(ParseTerm());
        }
        Expect(Tok.RBrack, "]");
        return new ArrayTerm(loc, items.ToArray());
    }

    private Term ParseBraced()
    {
        var open = Advance();
        var loc = Loc(open);
        if (Cur.Kind == Tok.RBrace)
        {
            Advance();
            return new ObjectTerm(loc, []);
        }
        var first = ParseTerm(noPipe: true);
        if (Cur.Kind == Tok.Colon)
        {
            Advance();
            var value = ParseTerm(noPipe: true);
            if (Cur.Kind == Tok.Pipe)
            {
                Advance();
                var body = ParseComprehensionBody(Tok.RBrace);
                return new ComprehensionTerm(loc, ComprehensionKind.Object, first, value, body);
            }
            var pairs = new List<(Term, Term)> { (first, value) };
            while (Cur.Kind == Tok.Comma)
            {
                Advance();
                if (Cur.Kind == Tok.RBrace)
                {
                    break;
                }
                var k = ParseTerm();
                Expect(Tok.Colon, ":");
                var v = ParseTerm();
                pairs.Add((k, v));
            }
            Expect(Tok.RBrace, "}");
            return new ObjectTerm(loc, pairs.ToArray());
        }
        if (Cur.Kind == Tok.Pipe)
        {
            Advance();
            var body = ParseComprehensionBody(Tok.RBrace);
            return new ComprehensionTerm(loc, ComprehensionKind.Set, null, first, body);
        }
        var items = new List<Term> { first };
        while (Cur.Kind == Tok.Comma)
        {
            Advance();
            if (Cur.Kind == Tok.RBrace)
            {
                break;
            }
            items.Add(ParseTerm());
        }
        Expect(Tok.RBrace, "}");
        return new SetTerm(loc, items.ToArray());
    }

    private Body ParseComprehensionBody(Tok close)
    {
        var exprs = new List<Expr>();
        while (true)
        {
            exprs.Add(ParseLiteral());
            if (Cur.Kind == Tok.Semicolon)
            {
                Advance();
                continue;
            }
            if (Cur.Kind == close)
            {
                Advance();
                break;
            }
            if (!Cur.NewlineBefore)
            {
                throw Unexpected();
            }
        }
        return new Body(exprs);
    }
}
