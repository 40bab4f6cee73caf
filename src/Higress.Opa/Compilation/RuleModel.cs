using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Compilation;

internal enum RuleKind { Complete, MultiValue, PartialObject, Function }

/// <summary>One rule definition (an else chain is linked through <see cref="Else"/>).</summary>
internal sealed class RuleDef
{
    public RuleDef(RuleAst ast, string file) { Ast = ast; File = file; }

    public RuleAst Ast { get; }
    public string File { get; }
    public Body Body { get; set; } = new([]);
    public Term? Key { get; set; }
    public Term? Value { get; set; }
    public Term[] Suffix { get; set; } = [];
    public Term[]? Args { get; set; }
    /// <summary>A `contains` rule with a variable reference head: the leaf of the object is a set.</summary>
    public bool IsMultiValue { get; set; }
    public RuleDef? Else { get; set; }
    public int SlotCount { get; set; }
    public RegoLocation Loc => Ast.Loc;
    public ModuleScope Module { get; set; } = null!;
    public RuleSet? Owner { get; set; }
}

/// <summary>All definitions of one rule path (or one function).</summary>
internal sealed class RuleSet
{
    public RuleSet(string[] path, RuleKind kind) { Path = path; Kind = kind; }

    public string[] Path { get; }
    public RuleKind Kind { get; }
    public List<RuleDef> Defs { get; } = [];
    public RuleDef? Default { get; set; }
    public int Arity { get; set; } = -1;
    /// <summary>All definitions produce this same constant (so evaluation may stop at the first success).</summary>
    public RegoValue? ConstantValue { get; set; }
    public string DisplayName => "data." + string.Join(".", Path);
    /// <summary>Index on an input equality, when it pays.</summary>
    public RuleIndex? Index { get; set; }
    public int Id { get; set; }
}

/// <summary>A node of the data tree: packages and rule paths; base data is looked up by path.</summary>
internal sealed class DataNode
{
    public DataNode(string[] path) => Path = path;

    public string[] Path { get; }
    public Dictionary<string, DataNode> Children { get; } = new(StringComparer.Ordinal);
    public RuleSet? Rules { get; set; }
    public RuleSet? Functions { get; set; }
    /// <summary>Base data at this path (null when none).</summary>
    public RegoValue? BaseData { get; set; }
    public bool IsPackage { get; set; }
    /// <summary>True when some rule set exists at or below this node.</summary>
    public bool HasRules { get; set; }

    public DataNode GetOrAdd(string name)
    {
        if (!Children.TryGetValue(name, out var c))
        {
            var p = new string[Path.Length + 1];
            Path.CopyTo(p, 0);
            p[^1] = name;
            c = new DataNode(p);
            Children[name] = c;
        }
        return c;
    }

    public IEnumerable<RuleSet> AllRuleSets()
    {
        if (Rules is not null) yield return Rules;
        if (Functions is not null) yield return Functions;
        foreach (var c in Children.Values)
        {
            foreach (var r in c.AllRuleSets()) yield return r;
        }
    }
}

/// <summary>Name-resolution context of a module.</summary>
internal sealed class ModuleScope
{
    public ModuleScope(ModuleAst ast) => Ast = ast;

    public ModuleAst Ast { get; }
    public string[] Package => Ast.Package.ToArray();
    public HashSet<string> RuleNames { get; set; } = new(StringComparer.Ordinal);
    /// <summary>alias -> (isInput, path under the root).</summary>
    public Dictionary<string, (bool IsInput, string[] Path)> Imports { get; } = new(StringComparer.Ordinal);
}
