using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

internal sealed partial class Parser
{
    private void ParseRule(List<RuleAst> rules)
    {
        var start = Cur;
        var rule = new RuleAst(Loc(start)) { Annotations = Annotations(start.Line, "rule") };
        if (IsIdent("default"))
        {
            Advance();
            rule.IsDefault = true;
        }
        if (Cur.Kind != Tok.Ident || (Keywords.Contains(Cur.Text) && !IsKeywordRefHead()))
        {
            throw Unexpected();
        }
        if (Cur.Text is "true" or "false" or "null" && !IsKeywordRefHead())
        {
            throw Error($"unexpected {Cur.Text} token");
        }
        var nameTok = Advance();
        rule.HeadRef.Add(new VarTerm(Loc(nameTok), nameTok.Text));
        while (true)
        {
            if (Cur.Kind == Tok.Dot && Adjacent())
            {
                Advance();
                var id = Expect(Tok.Ident, "identifier");
                rule.HeadRef.Add(new ScalarTerm(Loc(id), RegoString.Create(id.Text)));
            }
            else if (Cur.Kind == Tok.LBrack && Adjacent())
            {
                Advance();
                rule.HeadRef.Add(ParseTerm());
                Expect(Tok.RBrack, "]");
            }
            else
            {
                break;
            }
        }
        if (Cur.Kind == Tok.LParen && Adjacent())
        {
            Advance();
            rule.Args = [];
            if (Cur.Kind != Tok.RParen)
            {
                while (true)
                {
                    rule.Args.Add(ParseTerm());
                    if (Cur.Kind == Tok.Comma)
                    {
                        Advance();
                        continue;
                    }
                    break;
                }
            }
            Expect(Tok.RParen, ")");
        }
        if (rule.IsDefault)
        {
            if (Cur.Kind is not (Tok.Assign or Tok.Unify))
            {
                throw Error("default rules must have a value assigned");
            }
            Advance();
            rule.Value = ParseTerm();
            rules.Add(rule);
            return;
        }
        if (IsIdent("contains"))
        {
            Advance();
            rule.Contains = true;
            rule.Key = ParseTerm();
        }
        else if (Cur.Kind is Tok.Assign or Tok.Unify)
        {
            Advance();
            rule.Value = ParseTerm();
        }
        else
        {
            rule.ValueIsImplicit = true;
            rule.Value = new ScalarTerm(rule.Loc, RegoBoolean.True);
        }
        bool hasBody = ParseRuleBody(rule, out bool hadIf);
        if (!hasBody && rule.ValueIsImplicit && !rule.Contains && !hadIf)
        {
            // `p` alone or `p[x]` alone is not a rule in v1.
            if (rule.HeadRef.Count == 1 && rule.Args is null)
            {
                throw Error($"unexpected {Describe(Cur)} token", Cur.Kind == Tok.Eof ? nameTok : Cur);
            }
        }
        var tail = rule;
        while (IsIdent("else"))
        {
            var et = Advance();
            var e = new RuleAst(Loc(et)) { IsElse = true };
            if (Cur.Kind is Tok.Assign or Tok.Unify)
            {
                Advance();
                e.Value = ParseTerm();
            }
            else
            {
                e.ValueIsImplicit = true;
                e.Value = new ScalarTerm(e.Loc, RegoBoolean.True);
            }
            ParseRuleBody(e, out _);
            tail.Else = e;
            tail = e;
        }
        rules.Add(rule);
    }

    private bool ParseRuleBody(RuleAst rule, out bool hadIf)
    {
        hadIf = false;
        if (IsIdent("if"))
        {
            Advance();
            hadIf = true;
            if (Cur.Kind == Tok.LBrace)
            {
                int save = _p;
                try
                {
                    rule.Body = ParseBraceBody();
                }
                catch (RegoException first)
                {
                    _p = save;
                    try
                    {
                        rule.Body = new Body([ParseLiteral()]);
                    }
                    catch (RegoException)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
                    }
                    if (Cur.Kind != Tok.Eof && !Cur.NewlineBefore)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
                    }
                }
            }
            else
            {
                rule.Body = new Body([ParseLiteral()]);
            }
            return true;
        }
        if (Cur.Kind == Tok.LBrace && !Cur.NewlineBefore)
        {
            rule.Body = ParseBraceBody();
            return true;
        }
        return false;
    }

    private Body ParseBraceBody()
    {
        Expect(Tok.LBrace, "{");
        var exprs = new List<Expr>();
        while (Cur.Kind != Tok.RBrace)
        {
            if (Cur.Kind == Tok.Eof)
            {
                throw Error("unexpected eof token: expected }");
            }
            exprs.Add(ParseLiteral());
            if (Cur.Kind == Tok.Semicolon)
            {
                Advance();
                continue;
            }
            if (Cur.Kind != Tok.RBrace && !Cur.NewlineBefore)
            {
                throw Unexpected();
            }
        }
        Advance();
        if (exprs.Count == 0)
        {
            throw Error("found empty body", _toks[_p - 1]);
        }
        return new Body(exprs);
    }

    private Expr ParseLiteral()
    {
        var t = Cur;
        Expr expr;
        if (IsIdent("some"))
        {
            expr = ParseSome();
        }
        else if (IsIdent("every"))
        {
            expr = ParseEvery();
        }
        else
        {
            expr = ParseNegatable();
        }
        while (IsIdent("with"))
        {
            var wt = Advance();
            var target = ParseRefOnly();
            if (!IsIdent("as"))
            {
                throw Error("expected as keyword");
            }
            Advance();
            var value = ParseTerm();
            expr.Withs.Add(new WithModifier(Loc(wt), target, value));
        }
        _ = t;
        return expr;
    }

    private Expr ParseNegatable()
    {
        bool negated = false;
        if (IsIdent("not"))
        {
            Advance();
            negated = true;
        }
        var expr = ParseExprCore();
        expr.Negated = negated;
        return expr;
    }

    private Expr ParseExprCore()
    {
        var start = Cur;
        var a = ParseTerm();
        if (Cur.Kind == Tok.Comma)
        {
            // k, v in xs
            return new Expr(Loc(start), ExprKind.Term) { A = ParseKeyValueMembership(Loc(start), a) };
        }
        if (Cur.Kind == Tok.Assign)
        {
            Advance();
            var b = ParseTerm();
            return new Expr(Loc(start), ExprKind.Assign) { A = a, B = b };
        }
        if (Cur.Kind == Tok.Unify)
        {
            Advance();
            var b = ParseTerm();
            return new Expr(Loc(start), ExprKind.Unify) { A = a, B = b };
        }
        return new Expr(Loc(start), ExprKind.Term) { A = a };
    }

    private Expr ParseSome()
    {
        var st = Advance();
        var (first, second) = ParseOneOrTwoTerms();
        if (IsIdent("in"))
        {
            Advance();
            var coll = ParseTermRelation();
            var e = new Expr(Loc(st), ExprKind.SomeIn) { A = second is null ? null : first, B = second ?? first, C = coll };
            return e;
        }
        var decl = new Expr(Loc(st), ExprKind.SomeDecl);
        AddSomeVar(decl, first);
        if (second is not null)
        {
            AddSomeVar(decl, second);
        }
        while (Cur.Kind == Tok.Comma)
        {
            Advance();
            AddSomeVar(decl, ParseTermRelation());
        }
        return decl;
    }

    /// <summary>The <c>x</c> or <c>k, v</c> that <c>some</c> and <c>every</c> start with.</summary>
    private (Term First, Term? Second) ParseOneOrTwoTerms()
    {
        var first = ParseTermRelation();
        if (Cur.Kind != Tok.Comma)
        {
            return (first, null);
        }

        Advance();
        return (first, ParseTermRelation());
    }

    private static void AddSomeVar(Expr decl, Term t)
    {
        if (t is not VarTerm v)
        {
            throw new RegoException(RegoErrorCodes.ParseError, "expected var in some declaration", t.Loc);
        }
        decl.SomeVars.Add(v);
    }

    private Expr ParseEvery()
    {
        var st = Advance();
        var (first, second) = ParseOneOrTwoTerms();
        if (!IsIdent("in"))
        {
            throw Error("unexpected token: expected in keyword");
        }
        Advance();
        var domain = ParseTermRelation();
        var body = ParseBraceBody();
        return new Expr(Loc(st), ExprKind.Every) { A = second is null ? null : first, B = second ?? first, C = domain, Body = body };
    }
}
