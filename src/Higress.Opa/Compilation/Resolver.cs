using Higress.Opa.Builtins;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Compilation;

/// <summary>Resolves names: local variables to frame slots, rule names and imports to data paths, calls to built-ins or functions.</summary>
internal sealed partial class Resolver
{
    private sealed class Scope(Scope? parent)
    {
        public Dictionary<string, int> Vars { get; } = new(StringComparer.Ordinal);
        public Scope? Parent { get; } = parent;
        /// <summary>Index of the expression that declares a variable with :=; nested bodies before it do not see it.</summary>
        public Dictionary<string, int> DeclaredAt { get; } = new(StringComparer.Ordinal);
        public int CurrentIndex { get; set; } = int.MaxValue;

        public bool TryGet(string name, out int slot)
        {
            for (var s = this; s is not null; s = s.Parent)
            {
                if (s.Vars.TryGetValue(name, out slot))
                {
                    if (s != this && s.DeclaredAt.TryGetValue(name, out int at) && at > s.CurrentIndex)
                    {
                        continue;
                    }
                    return true;
                }
            }
            slot = -1;
            return false;
        }
    }

    private readonly BuiltinRegistry _builtins;
    private readonly DataNode _root;
    private ModuleScope _module = null!;
    private int _slots;

    public Resolver(BuiltinRegistry builtins, DataNode root)
    {
        _builtins = builtins;
        _root = root;
    }

    public Dictionary<string, int> QueryVars { get; private set; } = [];

    /// <summary>Computes rego.metadata.rule()/chain() for the rule being resolved.</summary>
    public Func<RuleDef, bool, RegoValue>? MetadataProvider { get; set; }

    private RuleDef? _currentDef;

    /// <summary>Resolves a rule definition and its else chain; all share one frame.</summary>
    public void ResolveRule(RuleDef def)
    {
        _module = def.Module;
        _currentDef = def;
        _slots = 0;
        var scope = new Scope(null);
        if (def.Args is not null)
        {
            for (int i = 0; i < def.Args.Length; i++)
            {
                DeclarePatternVars(def.Args[i], scope);
                def.Args[i] = ResolveTerm(def.Args[i], scope);
                ResolveNested(def.Args[i], scope);
            }
        }
        for (var d = def; d is not null; d = d.Else)
        {
            d.Body = ResolveBody(d.Body, scope);
            if (d.Key is not null) d.Key = ResolveTerm(d.Key, scope);
            if (d.Value is not null) d.Value = ResolveTerm(d.Value, scope);
            for (int i = 0; i < d.Suffix.Length; i++) d.Suffix[i] = ResolveTerm(d.Suffix[i], scope);
            if (d.Key is not null) ResolveNested(d.Key, scope);
            if (d.Value is not null) ResolveNested(d.Value, scope);
            foreach (var t in d.Suffix) ResolveNested(t, scope);
            if (d != def && def.Args is not null) d.Args = def.Args;
        }
        for (var d = def; d is not null; d = d.Else) d.SlotCount = _slots;
    }

    /// <summary>Resolves a query body in the context of a module scope; returns the slot count.</summary>
    public int ResolveQuery(ModuleScope module, Body body, out Body resolved)
    {
        _module = module;
        _currentDef = null;
        _slots = 0;
        var scope = new Scope(null);
        resolved = ResolveBody(body, scope);
        QueryVars = new Dictionary<string, int>(scope.Vars, StringComparer.Ordinal);
        return _slots;
    }

    private int NewSlot() => _slots++;

    private Body ResolveBody(Body body, Scope scope)
    {
        // 1. calls: operators and output arguments
        foreach (var e in body.Exprs)
        {
            RewriteOutputCall(e);
        }
        // 2. declarations (some, :=, some-in patterns)
        foreach (var e in body.Exprs)
        {
            switch (e.Kind)
            {
                case ExprKind.SomeDecl:
                    foreach (var v in e.SomeVars)
                    {
                        scope.Vars[v.Name] = NewSlot();
                    }
                    break;
                case ExprKind.Assign:
                    DeclarePatternVars(e.A!, scope, redeclare: true);
                    MarkDeclared(e.A!, scope, body.Exprs.IndexOf(e));
                    break;
                case ExprKind.SomeIn:
                    if (e.A is not null) DeclarePatternVars(e.A, scope, redeclare: true);
                    DeclarePatternVars(e.B!, scope, redeclare: true);
                    break;
            }
        }
        // 3. all other variables of this body (outside nested bodies)
        foreach (var e in body.Exprs)
        {
            if (e.Kind == ExprKind.Every)
            {
                e.C = ResolveTerm(e.C!, scope);
                foreach (var w in e.Withs) ResolveWith(w, scope);
                continue;
            }
            if (e.A is not null) e.A = ResolveTerm(e.A, scope);
            if (e.B is not null) e.B = ResolveTerm(e.B, scope);
            if (e.C is not null) e.C = ResolveTerm(e.C, scope);
            foreach (var w in e.Withs)
            {
                ResolveWith(w, scope);
            }
        }
        // 4. nested bodies
        foreach (var e in body.Exprs)
        {
            scope.CurrentIndex = body.Exprs.IndexOf(e);
            if (e.A is not null && e.Kind != ExprKind.Every) ResolveNested(e.A, scope);
            if (e.B is not null && e.Kind != ExprKind.Every) ResolveNested(e.B, scope);
            if (e.C is not null) ResolveNested(e.C, scope);
            foreach (var w in e.Withs) ResolveNested(w.Value, scope);
            if (e.Kind == ExprKind.Every)
            {
                var inner = new Scope(scope);
                if (e.A is not null) DeclareAndResolveVar(e, isKey: true, inner);
                DeclareAndResolveVar(e, isKey: false, inner);
                e.Body = ResolveBody(e.Body!, inner);
                e.LocalSlots = [.. inner.Vars.Values];
            }
        }
        scope.CurrentIndex = int.MaxValue;
        return body;
    }

    private void DeclareAndResolveVar(Expr e, bool isKey, Scope inner)
    {
        var t = isKey ? e.A! : e.B!;
        DeclarePatternVars(t, inner, redeclare: true);
        var r = ResolveTerm(t, inner);
        if (isKey) e.A = r; else e.B = r;
    }

    private static void MarkDeclared(Term t, Scope scope, int index)
    {
        switch (t)
        {
            case VarTerm v when !v.IsWildcard:
                scope.DeclaredAt[v.Name] = index;
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) MarkDeclared(i, scope, index);
                break;
            case ObjectTerm o:
                foreach (var (_, val) in o.Pairs) MarkDeclared(val, scope, index);
                break;
        }
    }

    private void DeclarePatternVars(Term t, Scope scope, bool redeclare = false)
    {
        switch (t)
        {
            case VarTerm v when !v.IsWildcard:
                if (redeclare || !scope.Vars.ContainsKey(v.Name))
                {
                    scope.Vars[v.Name] = NewSlot();
                }
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) DeclarePatternVars(i, scope, redeclare);
                break;
            case ObjectTerm o:
                foreach (var (_, val) in o.Pairs) DeclarePatternVars(val, scope, redeclare);
                break;
        }
    }

    private void ResolveNested(Term t, Scope scope)
    {
        switch (t)
        {
            case ComprehensionTerm c:
            {
                var inner = new Scope(scope);
                ResolveBody(c.Body, inner);
                if (c.Key is not null) c.Key = ResolveTerm(c.Key, inner);
                c.Value = ResolveTerm(c.Value, inner);
                if (c.Key is not null) ResolveNested(c.Key, inner);
                ResolveNested(c.Value, inner);
                c.LocalSlots = [.. inner.Vars.Values];
                break;
            }
            case RefTerm r:
                ResolveNested(r.Head, scope);
                foreach (var p in r.Path) ResolveNested(p, scope);
                break;
            case CallTerm call:
                foreach (var a in call.Args) ResolveNested(a, scope);
                break;
            case ArrayTerm a:
                foreach (var i in a.Items) ResolveNested(i, scope);
                break;
            case SetTerm s:
                foreach (var i in s.Items) ResolveNested(i, scope);
                break;
            case ObjectTerm o:
                foreach (var (k, v) in o.Pairs)
                {
                    ResolveNested(k, scope);
                    ResolveNested(v, scope);
                }
                break;
        }
    }

    private Term ResolveTerm(Term t, Scope scope)
    {
        switch (t)
        {
            case VarTerm v:
                return ResolveVar(v, scope);
            case RefTerm r:
            {
                var head = r.Head is VarTerm hv ? ResolveVar(hv, scope) : ResolveTerm(r.Head, scope);
                for (int i = 0; i < r.Path.Length; i++) r.Path[i] = ResolveTerm(r.Path[i], scope);
                if (head is RefTerm hr)
                {
                    // rule name or import expanded to a ref: concatenate
                    var path = new Term[hr.Path.Length + r.Path.Length];
                    hr.Path.CopyTo(path, 0);
                    r.Path.CopyTo(path, hr.Path.Length);
                    return Finish(new RefTerm(r.Loc, hr.Head, path));
                }
                r.Head = head;
                return Finish(r);
            }
            case CallTerm c:
                ResolveCall(c, scope);
                for (int i = 0; i < c.Args.Length; i++) c.Args[i] = ResolveTerm(c.Args[i], scope);
                CheckConstantCall(c);
                return c;
            case ArrayTerm a:
                for (int i = 0; i < a.Items.Length; i++) a.Items[i] = ResolveTerm(a.Items[i], scope);
                return a;
            case SetTerm s:
                for (int i = 0; i < s.Items.Length; i++) s.Items[i] = ResolveTerm(s.Items[i], scope);
                return s;
            case ObjectTerm o:
                for (int i = 0; i < o.Pairs.Length; i++)
                {
                    o.Pairs[i] = (ResolveTerm(o.Pairs[i].Key, scope), ResolveTerm(o.Pairs[i].Value, scope));
                }
                return o;
            default:
                return t; // scalars; comprehensions are resolved as nested bodies
        }
    }

    private Term ResolveVar(VarTerm v, Scope scope)
    {
        if (v.Kind != VarKind.Unresolved)
        {
            return v.Kind is VarKind.Data or VarKind.Input ? Finish(new RefTerm(v.Loc, v, [])) : v;
        }
        if (v.IsWildcard)
        {
            v.Kind = VarKind.Wildcard;
            return v;
        }
        if (scope.TryGet(v.Name, out int slot))
        {
            v.Kind = VarKind.Local;
            v.Slot = slot;
            return v;
        }
        if (v.Name == "input")
        {
            v.Kind = VarKind.Input;
            return Finish(new RefTerm(v.Loc, v, []));
        }
        if (v.Name == "data")
        {
            v.Kind = VarKind.Data;
            return Finish(new RefTerm(v.Loc, v, []));
        }
        if (_module.Imports.TryGetValue(v.Name, out var imp))
        {
            var root = new VarTerm(v.Loc, imp.IsInput ? "input" : "data") { Kind = imp.IsInput ? VarKind.Input : VarKind.Data };
            return Finish(new RefTerm(v.Loc, root, imp.Path.Select(p => (Term)new ScalarTerm(v.Loc, RegoString.Create(p))).ToArray()));
        }
        if (_module.RuleNames.Contains(v.Name))
        {
            var root = new VarTerm(v.Loc, "data") { Kind = VarKind.Data };
            var path = _module.Package.Append(v.Name).Select(p => (Term)new ScalarTerm(v.Loc, RegoString.Create(p))).ToArray();
            return Finish(new RefTerm(v.Loc, root, path));
        }
        int s = NewSlot();
        scope.Vars[v.Name] = s;
        v.Kind = VarKind.Local;
        v.Slot = s;
        return v;
    }

    /// <summary>OPA's compile-time type check, for calls whose operands are constants: an operand of the wrong type is a rego_type_error.</summary>
    private static void CheckConstantCall(CallTerm c)
    {
        if (c.Builtin is not { Function: { } f } b || (b.Flags & BuiltinFlags.Nondeterministic) != 0 || c.Args.Length != b.Arity)
        {
            return;
        }
        var args = new RegoValue[c.Args.Length];
        for (int i = 0; i < args.Length; i++)
        {
            if (c.Args[i] is not ScalarTerm st) return;
            args[i] = st.Value;
        }
        try
        {
            f(args, new BuiltinContext());
        }
        catch (BuiltinException e) when (e.IsOperandTypeError)
        {
            throw new RegoException(RegoErrorCodes.TypeError, $"{b.Name}: {e.Message}", c.Loc);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            // other failures are run-time errors, as in OPA
        }
    }

    /// <summary>For data refs, precomputes the deepest tree node reached by the leading constant segments.</summary>
    private RefTerm Finish(RefTerm r)
    {
        if (r.Head is VarTerm { Kind: VarKind.Data })
        {
            var node = _root;
            int i = 0;
            while (i < r.Path.Length && r.Path[i] is ScalarTerm { Value: RegoString s } && node.Rules is null
                   && node.Children.TryGetValue(s.Value, out var child))
            {
                node = child;
                i++;
            }
            r.StartNode = node;
            r.PathStart = i;
        }
        return r;
    }
}
