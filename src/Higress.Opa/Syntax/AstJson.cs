using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

/// <summary>A JSON view of a parsed module in OPA's AST shape (package, imports, rules with head and body terms), for <c>rego.parse_module</c>.</summary>
internal static class AstJson
{
    private static KeyValuePair<string, RegoValue> P(string k, RegoValue v) => new(k, v);

    private static RegoValue T(string type, RegoValue value) => RegoObject.Create([P("type", RegoString.Create(type)), P("value", value)]);

    public static RegoValue Module(ModuleAst m)
    {
        var pkg = new List<RegoValue> { T("var", RegoString.Create("data")) };
        pkg.AddRange(m.Package.Select(p => T("string", RegoString.Create(p))));
        var imports = m.Imports.Select(i =>
        {
            var fields = new List<KeyValuePair<string, RegoValue>> { P("path", Term(i.Path)) };
            if (i.Alias is not null) fields.Add(P("alias", RegoString.Create(i.Alias)));
            return (RegoValue)RegoObject.Create(fields);
        });
        var rules = m.Rules.Select(Rule);
        return RegoObject.Create(
        [
            P("package", RegoObject.Create([P("path", RegoArray.Create(pkg))])),
            P("imports", RegoArray.Create(imports)),
            P("rules", RegoArray.Create(rules)),
        ]);
    }

    private static RegoValue Rule(RuleAst r)
    {
        var head = new List<KeyValuePair<string, RegoValue>>
        {
            P("name", RegoString.Create(((VarTerm)r.HeadRef[0]).Name)),
            P("ref", RegoArray.Create(r.HeadRef.Select(Term))),
        };
        if (r.Args is not null) head.Add(P("args", RegoArray.Create(r.Args.Select(Term))));
        if (r.Key is not null) head.Add(P("key", Term(r.Key)));
        if (r.Value is not null) head.Add(P("value", Term(r.Value)));
        var fields = new List<KeyValuePair<string, RegoValue>>
        {
            P("head", RegoObject.Create(head)),
            P("body", RegoArray.Create(r.Body.Exprs.Select((e, i) => Expr(e, i)))),
        };
        if (r.IsDefault) fields.Add(P("default", RegoBoolean.True));
        return RegoObject.Create(fields);
    }

    private static RegoValue Expr(Expr e, int index)
    {
        var fields = new List<KeyValuePair<string, RegoValue>> { P("index", RegoNumber.FromInt64(index)) };
        if (e.Negated) fields.Add(P("negated", RegoBoolean.True));
        RegoValue terms = e.Kind switch
        {
            ExprKind.Unify => RegoArray.Create(RefOf("eq"), Term(e.A!), Term(e.B!)),
            ExprKind.Assign => RegoArray.Create(RefOf("assign"), Term(e.A!), Term(e.B!)),
            ExprKind.Term when e.A is CallTerm c => RegoArray.Create(new[] { Term(c.Operator) }.Concat(c.Args.Select(Term))),
            ExprKind.Term => Term(e.A!),
            _ => T("var", RegoString.Create(e.Kind.ToString().ToLowerInvariant())),
        };
        fields.Add(P("terms", terms));
        return RegoObject.Create(fields);
    }

    private static RegoValue RefOf(string name) => T("ref", RegoArray.Create(T("var", RegoString.Create(name))));

    private static RegoValue Term(Term t) => t switch
    {
        ScalarTerm { Value: RegoString s } => T("string", s),
        ScalarTerm { Value: RegoNumber n } => T("number", n),
        ScalarTerm { Value: RegoBoolean b } => T("boolean", b),
        ScalarTerm { Value: RegoNull } => T("null", RegoNull.Instance),
        ScalarTerm st => T("value", st.Value),
        VarTerm v => T("var", RegoString.Create(v.Name)),
        RefTerm r => T("ref", RegoArray.Create(new[] { Term(r.Head) }.Concat(r.Path.Select(Term)))),
        ArrayTerm a => T("array", RegoArray.Create(a.Items.Select(Term))),
        SetTerm s => T("set", RegoArray.Create(s.Items.Select(Term))),
        ObjectTerm o => T("object", RegoArray.Create(o.Pairs.Select(p => (RegoValue)RegoArray.Create(Term(p.Key), Term(p.Value))))),
        CallTerm c => T("call", RegoArray.Create(new[] { Term(c.Operator) }.Concat(c.Args.Select(Term)))),
        ComprehensionTerm c => T(c.Kind.ToString().ToLowerInvariant() + "comprehension", RegoObject.Create([P("term", Term(c.Value))])),
        _ => T("unknown", RegoNull.Instance),
    };
}
