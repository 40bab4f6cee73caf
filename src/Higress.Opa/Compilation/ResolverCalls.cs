using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Compilation;

internal sealed partial class Resolver
{
    private static List<string>? Segments(Term t)
    {
        switch (t)
        {
            case VarTerm v:
                return [.. v.Name.Split('.')];
            case RefTerm { Head: VarTerm hv } r:
            {
                var list = new List<string> { hv.Name };
                foreach (var p in r.Path)
                {
                    if (p is ScalarTerm { Value: RegoString s }) list.Add(s.Value);
                    else return null;
                }
                return list;
            }
            default:
                return null;
        }
    }

    private RuleSet? FindFunction(IEnumerable<string> path)
    {
        var node = _root;
        foreach (var seg in path)
        {
            if (!node.Children.TryGetValue(seg, out node!)) return null;
        }
        return node.Functions;
    }

    private DataNode? FindNode(IEnumerable<string> path)
    {
        var node = _root;
        foreach (var seg in path)
        {
            if (!node.Children.TryGetValue(seg, out node!)) return null;
        }
        return node;
    }

    /// <summary>Resolves a function name to a user function (data path) or a built-in; returns false when unknown.</summary>
    private bool TryResolveFunction(List<string> seg, out string name, out object? target)
    {
        target = null;
        name = string.Join(".", seg);
        if (seg[0] == "data")
        {
            var f = FindFunction(seg.Skip(1));
            if (f is not null)
            {
                name = f.DisplayName;
                target = f;
                return true;
            }
            return false;
        }
        if (_module.RuleNames.Contains(seg[0]))
        {
            var f = FindFunction(_module.Package.Concat(seg));
            if (f is not null)
            {
                name = f.DisplayName;
                target = f;
                return true;
            }
        }
        if (_module.Imports.TryGetValue(seg[0], out var imp) && !imp.IsInput)
        {
            var f = FindFunction(imp.Path.Concat(seg.Skip(1)));
            if (f is not null)
            {
                name = f.DisplayName;
                target = f;
                return true;
            }
        }
        if (name == "print")
        {
            return true;
        }
        if (_builtins.TryGet(name, out var def))
        {
            target = def;
            return true;
        }
        return false;
    }

    private void ResolveCallTarget(CallTerm c)
    {
        if (c.Name.Length > 0)
        {
            return;
        }
        var seg = Segments(c.Operator) ?? throw new RegoException(RegoErrorCodes.TypeError, "illegal call", c.Loc);
        if (!TryResolveFunction(seg, out string name, out object? target))
        {
            throw new RegoException(RegoErrorCodes.TypeError, $"undefined function {name}", c.Loc);
        }
        c.Name = name;
        if (target is RuleSet rs) c.Function = rs;
        else if (target is Builtins.BuiltinDefinition b) c.Builtin = b;
        if (name is "rego.metadata.rule" or "rego.metadata.chain" && _currentDef?.Owner is not null && MetadataProvider is not null)
        {
            var value = MetadataProvider(_currentDef, name == "rego.metadata.chain");
            c.Builtin = new Builtins.BuiltinDefinition(name, 0, (_, _) => value, null, Builtins.BuiltinFlags.None);
        }
    }

    private int ArityOf(CallTerm c) => c.Builtin?.Arity ?? (c.Function as RuleSet)?.Arity ?? -1;

    private void RewriteOutputCall(Expr e)
    {
        if (e.Kind == ExprKind.Term && e.A is CallTerm c)
        {
            ResolveCallTarget(c);
            int arity = ArityOf(c);
            if (arity >= 0 && c.Args.Length == arity + 1)
            {
                var output = c.Args[^1];
                c.Args = c.Args[..^1];
                e.Kind = ExprKind.Unify;
                e.B = output;
                e.OutputCall = true;
            }
        }
    }

    private void ResolveCall(CallTerm c, Scope scope)
    {
        _ = scope;
        ResolveCallTarget(c);
        int arity = ArityOf(c);
        if (arity >= 0 && c.Args.Length != arity)
        {
            throw new RegoException(RegoErrorCodes.TypeError, $"{c.Name}: arity mismatch: expected {arity} arguments, got {c.Args.Length}", c.Loc);
        }
    }

    private void ResolveWith(WithModifier w, Scope scope)
    {
        var seg = Segments(w.Target) ?? throw new RegoException(RegoErrorCodes.CompileError, "invalid with target", w.Loc);
        if (seg[0] == "input")
        {
            w.IsInput = true;
            w.Path = seg.Skip(1).ToArray();
        }
        else if (seg[0] == "data" || _module.RuleNames.Contains(seg[0]) || (_module.Imports.TryGetValue(seg[0], out var imp0) && !imp0.IsInput))
        {
            string[] path = seg[0] == "data" ? seg.Skip(1).ToArray()
                : _module.RuleNames.Contains(seg[0]) ? _module.Package.Concat(seg).ToArray()
                : _module.Imports[seg[0]].Path.Concat(seg.Skip(1)).ToArray();
            var node = FindNode(path);
            if (node?.Functions is not null)
            {
                w.FunctionName = node.Functions.DisplayName;
            }
            else
            {
                w.IsData = true;
                w.Path = path;
            }
        }
        else if (_module.Imports.TryGetValue(seg[0], out var imp) && imp.IsInput)
        {
            w.IsInput = true;
            w.Path = imp.Path.Concat(seg.Skip(1)).ToArray();
        }
        else
        {
            string name = string.Join(".", seg);
            if (!_builtins.Contains(name) && name != "print")
            {
                throw new RegoException(RegoErrorCodes.CompileError, $"with keyword used on non-existent function or rule {name}", w.Loc);
            }
            w.FunctionName = name;
        }
        if (w.FunctionName.Length > 0)
        {
            var vseg = Segments(w.Value);
            if (vseg is not null && !(w.Value is VarTerm vv && scope.TryGet(vv.Name, out _)) &&
                !(w.Value is RefTerm { Head: VarTerm rh } && scope.TryGet(rh.Name, out _)) &&
                TryResolveFunction(vseg, out _, out object? target) && target is not null)
            {
                w.Replacement = target;
                return;
            }
        }
        w.Value = ResolveTerm(w.Value, scope);
    }
}
