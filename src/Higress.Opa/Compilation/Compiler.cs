using Higress.Opa.Builtins;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Compilation;

/// <summary>Builds the data tree of rule sets from parsed modules, resolves names, checks safety and recursion.</summary>
internal sealed class Compiler
{
    private readonly BuiltinRegistry _builtins;
    private readonly List<(ModuleAst Ast, ModuleScope Scope)> _modules = [];
    private readonly List<RuleDef> _allDefs = [];

    public Compiler(BuiltinRegistry builtins) => _builtins = builtins;

    public DataNode Root { get; } = new([]);

    public bool CheckRecursion { get; set; } = true;

    public Dictionary<string, ModuleScope> PackageScopes { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, (string[] Path, RegoObject Annotations)> PackageAnnotations { get; } = new(StringComparer.Ordinal);

    private static RegoValue PathValue(IEnumerable<string> path) => RegoArray.Create(path.Select(p => (RegoValue)RegoString.Create(p)));

    private static string Scope(RegoObject a) => a.Get("scope") is RegoString s ? s.Value : "rule";

    /// <summary>The value of rego.metadata.rule() / rego.metadata.chain() inside a rule definition.</summary>
    internal RegoValue Metadata(RuleDef def, bool chain)
    {
        var own = def.Ast.Annotations is { } a && Scope(a) == "rule" ? a : null;
        if (!chain)
        {
            return own ?? RegoObject.Empty;
        }
        var rs = def.Owner!;
        var entries = new List<RegoValue>();
        var first = new List<KeyValuePair<string, RegoValue>> { new("path", PathValue(rs.Path)) };
        if (own is not null) first.Add(new("annotations", own));
        entries.Add(RegoObject.Create(first));
        var doc = rs.Defs.Append(rs.Default).Select(d => d?.Ast.Annotations).FirstOrDefault(x => x is not null && Scope(x) == "document");
        if (doc is not null)
        {
            entries.Add(RegoObject.Create([new KeyValuePair<string, RegoValue>("annotations", doc), new("path", PathValue(rs.Path))]));
        }
        string pkg = string.Join(".", def.Module.Package);
        if (PackageAnnotations.TryGetValue(pkg, out var pa))
        {
            entries.Add(RegoObject.Create([new KeyValuePair<string, RegoValue>("annotations", pa.Annotations), new("path", PathValue(pa.Path))]));
        }
        return RegoArray.Create(entries);
    }

    public void Compile(IEnumerable<ModuleAst> modules, RegoValue baseData)
    {
        foreach (var m in modules)
        {
            var scope = new ModuleScope(m);
            foreach (var imp in m.Imports)
            {
                AddImport(scope, imp);
            }
            _modules.Add((m, scope));
        }
        var names = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (m, _) in _modules)
        {
            string key = string.Join(".", m.Package);
            if (!names.TryGetValue(key, out var set))
            {
                names[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            foreach (var r in m.Rules)
            {
                set.Add(((VarTerm)r.HeadRef[0]).Name);
            }
        }
        foreach (var (m, scope) in _modules)
        {
            scope.RuleNames = names[string.Join(".", m.Package)];
            var pkgNode = Root;
            foreach (var seg in m.Package) pkgNode = pkgNode.GetOrAdd(seg);
            pkgNode.IsPackage = true;
            PackageScopes.TryAdd(string.Join(".", m.Package), scope);
            if (m.PackageAnnotations is not null)
            {
                PackageAnnotations.TryAdd(string.Join(".", m.Package), (m.Package.ToArray(), m.PackageAnnotations));
            }
            foreach (var r in m.Rules)
            {
                AddRule(scope, r);
            }
        }
        AttachBaseData(Root, baseData);
        MarkHasRules(Root);
        var resolver = new Resolver(_builtins, Root) { MetadataProvider = Metadata };
        foreach (var def in _allDefs)
        {
            resolver.ResolveRule(def);
        }
        foreach (var def in _allDefs)
        {
            Safety.CheckRule(def);
        }
        foreach (var rs in Root.AllRuleSets())
        {
            ComputeConstant(rs);
            rs.Index = RuleIndex.TryBuild(rs);
        }
        if (CheckRecursion)
        {
            new RecursionChecker(Root).Check();
        }
    }

    private static bool MarkHasRules(DataNode n)
    {
        bool has = n.Rules is not null || n.Functions is not null || n.IsPackage;
        foreach (var c in n.Children.Values)
        {
            has |= MarkHasRules(c);
        }
        n.HasRules = has;
        return has;
    }

    private static void AddImport(ModuleScope scope, ImportAst imp)
    {
        if (imp.Path.Head is not VarTerm head)
        {
            throw new RegoException(RegoErrorCodes.ParseError, "invalid import path", imp.Loc);
        }
        var segs = new List<string>();
        foreach (var p in imp.Path.Path)
        {
            if (p is ScalarTerm { Value: RegoString s }) segs.Add(s.Value);
            else throw new RegoException(RegoErrorCodes.ParseError, "invalid import path", imp.Loc);
        }
        switch (head.Name)
        {
            case "rego":
            case "future":
                return;
            case "data":
            case "input":
            {
                string alias = imp.Alias ?? (segs.Count > 0 ? segs[^1] : head.Name);
                scope.Imports[alias] = (head.Name == "input", segs.ToArray());
                return;
            }
            default:
                throw new RegoException(RegoErrorCodes.CompileError, "invalid path " + head.Name + ": path must begin with input or data", imp.Loc);
        }
    }

    private void AddRule(ModuleScope scope, RuleAst r)
    {
        var path = new List<string>(scope.Ast.Package) { ((VarTerm)r.HeadRef[0]).Name };
        int i = 1;
        while (i < r.HeadRef.Count && r.HeadRef[i] is ScalarTerm { Value: RegoString s })
        {
            path.Add(s.Value);
            i++;
        }
        var suffix = r.HeadRef.Skip(i).ToArray();
        RuleKind kind = r.Args is not null ? RuleKind.Function
            : suffix.Length > 0 ? RuleKind.PartialObject
            : r.Contains ? RuleKind.MultiValue
            : RuleKind.Complete;
        if (r.IsDefault && kind == RuleKind.PartialObject)
        {
            throw new RegoException(RegoErrorCodes.CompileError, "default rules must not have variables in their reference", r.Loc);
        }
        var node = Root;
        foreach (var seg in path) node = node.GetOrAdd(seg);
        var def = BuildDef(scope, r, suffix);
        def.IsMultiValue = r.Contains && suffix.Length > 0;
        RuleSet rs;
        if (kind == RuleKind.Function)
        {
            rs = node.Functions ??= new RuleSet(path.ToArray(), kind) { Arity = r.Args!.Count };
            if (rs.Arity != r.Args!.Count)
            {
                throw new RegoException(RegoErrorCodes.TypeError, $"conflicting rules {rs.DisplayName} found", r.Loc);
            }
            if (node.Rules is not null)
            {
                throw new RegoException(RegoErrorCodes.TypeError, $"conflicting rules {rs.DisplayName} found", r.Loc);
            }
        }
        else
        {
            if (node.Functions is not null)
            {
                throw new RegoException(RegoErrorCodes.TypeError, $"conflicting rules {node.Functions.DisplayName} found", r.Loc);
            }
            rs = node.Rules ??= new RuleSet(path.ToArray(), kind);
            if (rs.Kind != kind)
            {
                throw new RegoException(RegoErrorCodes.TypeError, $"conflicting rules {rs.DisplayName} found", r.Loc);
            }
        }
        def.Owner = rs;
        if (r.IsDefault)
        {
            if (rs.Default is not null)
            {
                throw new RegoException(RegoErrorCodes.TypeError, $"multiple default rules {rs.DisplayName} found", r.Loc);
            }
            rs.Default = def;
        }
        else
        {
            rs.Defs.Add(def);
        }
        _allDefs.Add(def);
    }

    private static bool IsPatternArg(Term t) => t switch
    {
        VarTerm or ScalarTerm => true,
        ArrayTerm a => a.Items.All(IsPatternArg),
        ObjectTerm o => o.Pairs.All(p => p.Key is ScalarTerm && IsPatternArg(p.Value)),
        RefTerm r => r.Head is VarTerm && r.Path.All(p => p is ScalarTerm),
        _ => false,
    };

    private int _argVars;

    /// <summary>Function arguments that are not patterns (calls, comprehensions, templates) become a variable unified in the body.</summary>
    private Term[]? RewriteArgs(RuleAst r, Body body)
    {
        if (r.Args is null) return null;
        var args = r.Args.ToArray();
        for (int i = 0; i < args.Length; i++)
        {
            if (IsPatternArg(args[i])) continue;
            var v = new VarTerm(args[i].Loc, "__arg" + (_argVars++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            body.Exprs.Add(new Expr(args[i].Loc, ExprKind.Unify) { A = new VarTerm(v.Loc, v.Name), B = args[i] });
            args[i] = v;
        }
        return args;
    }

    private RuleDef BuildDef(ModuleScope scope, RuleAst r, Term[] suffix)
    {
        var def = new RuleDef(r, scope.Ast.File)
        {
            Module = scope,
            Body = r.Body,
            Key = r.Key,
            Value = r.Contains ? null : r.Value,
            Suffix = suffix,
            Args = RewriteArgs(r, r.Body),
        };
        var tail = def;
        for (var e = r.Else; e is not null; e = e.Else)
        {
            var ed = new RuleDef(e, scope.Ast.File) { Module = scope, Body = e.Body, Value = e.Value, Args = def.Args };
            tail.Else = ed;
            tail = ed;
        }
        return def;
    }

    private static void AttachBaseData(DataNode node, RegoValue? data)
    {
        node.BaseData = data;
        foreach (var (name, child) in node.Children)
        {
            RegoValue? sub = null;
            if (data is RegoObject o && o.TryGetValue(name, out var v))
            {
                sub = v;
            }
            AttachBaseData(child, sub);
        }
    }

    private static void ComputeConstant(RuleSet rs)
    {
        if (rs.Kind != RuleKind.Complete || rs.Defs.Count == 0)
        {
            return;
        }
        RegoValue? c = null;
        foreach (var d in rs.Defs)
        {
            if (d.Else is not null || d.Value is not ScalarTerm s)
            {
                return;
            }
            if (c is null) c = s.Value;
            else if (!c.Equals(s.Value)) return;
        }
        rs.ConstantValue = c;
    }
}
