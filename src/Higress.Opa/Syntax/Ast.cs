using Higress.Opa.Builtins;
using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

internal abstract class Term
{
    protected Term(RegoLocation loc) => Loc = loc;

    public RegoLocation Loc { get; }
}

internal sealed class ScalarTerm(RegoLocation loc, RegoValue value) : Term(loc)
{
    public RegoValue Value { get; } = value;
}

internal enum VarKind { Unresolved, Local, Wildcard, Input, Data }

internal sealed class VarTerm(RegoLocation loc, string name) : Term(loc)
{
    public string Name { get; set; } = name;
    public VarKind Kind { get; set; }
    public int Slot { get; set; } = -1;
    public string[] GlobalPath { get; set; } = [];
    public bool IsWildcard => Name.StartsWith('_') && (Name.Length == 1 || Name.StartsWith("__wc", StringComparison.Ordinal));
}

internal sealed class RefTerm(RegoLocation loc, Term head, Term[] path) : Term(loc)
{
    public Term Head { get; set; } = head;
    public Term[] Path { get; set; } = path;
    public Compilation.DataNode? StartNode { get; set; }
    public int PathStart { get; set; }
}

internal sealed class ArrayTerm(RegoLocation loc, Term[] items) : Term(loc)
{
    public Term[] Items { get; } = items;
}

internal sealed class SetTerm(RegoLocation loc, Term[] items) : Term(loc)
{
    public Term[] Items { get; } = items;
}

internal sealed class ObjectTerm(RegoLocation loc, (Term Key, Term Value)[] pairs) : Term(loc)
{
    public (Term Key, Term Value)[] Pairs { get; } = pairs;
}

internal enum ComprehensionKind { Array, Set, Object }

internal sealed class ComprehensionTerm(RegoLocation loc, ComprehensionKind kind, Term? key, Term value, Body body) : Term(loc)
{
    public ComprehensionKind Kind { get; } = kind;
    public Term? Key { get; set; } = key;
    public Term Value { get; set; } = value;
    public Body Body { get; } = body;
    public HashSet<int> LocalSlots { get; set; } = [];
}

/// <summary>A call: Operator is the (unresolved) ref of the function, Args the operands.</summary>
internal sealed class CallTerm(RegoLocation loc, Term op, Term[] args) : Term(loc)
{
    public Term Operator { get; } = op;
    public Term[] Args { get; set; } = args;
    public string Name { get; set; } = "";
    public BuiltinDefinition? Builtin { get; set; }
    public object? Function { get; set; } // Compilation.RuleSet for user functions
}

internal enum ExprKind { Term, Unify, Assign, SomeDecl, SomeIn, Every }

internal sealed class WithModifier(RegoLocation loc, Term target, Term value)
{
    public RegoLocation Loc { get; } = loc;
    public Term Target { get; } = target;
    public Term Value { get; set; } = value;
    public string[] Path { get; set; } = [];
    public bool IsInput { get; set; }
    public bool IsData { get; set; }
    public string FunctionName { get; set; } = "";
    public object? Replacement { get; set; }
}

internal sealed class Expr(RegoLocation loc, ExprKind kind)
{
    public RegoLocation Loc { get; } = loc;
    public ExprKind Kind { get; set; } = kind;
    public bool Negated { get; set; }
    public Term? A { get; set; }
    public Term? B { get; set; }
    public Term? C { get; set; }
    public Body? Body { get; set; }
    public List<VarTerm> SomeVars { get; } = [];
    public List<WithModifier> Withs { get; } = [];
    public int Index { get; set; }
    public HashSet<int> LocalSlots { get; set; } = [];

    /// <summary>A call with its output as the last operand (<c>f(x, y)</c>), rewritten to the unification <c>f(x) = y</c>.</summary>
    public bool OutputCall { get; set; }

    /// <summary>For a negated expression, the operands OPA evaluates before the negation (computed on first use).</summary>
    public Term[]? Hoisted { get; set; }
}

internal sealed class Body(List<Expr> exprs)
{
    public List<Expr> Exprs { get; set; } = exprs;
}

internal sealed class RuleAst(RegoLocation loc)
{
    public RegoLocation Loc { get; } = loc;
    public bool IsDefault { get; set; }
    public List<Term> HeadRef { get; } = [];
    public List<Term>? Args { get; set; }
    public bool Contains { get; set; }
    public Term? Key { get; set; }
    public Term? Value { get; set; }
    public bool ValueIsImplicit { get; set; }
    public Body Body { get; set; } = new([]);
    public RuleAst? Else { get; set; }
    public bool IsElse { get; set; }
    /// <summary>METADATA annotations written above the rule (with a "scope").</summary>
    public Values.RegoObject? Annotations { get; set; }
}

internal sealed class ImportAst(RegoLocation loc, RefTerm path, string? alias)
{
    public RegoLocation Loc { get; } = loc;
    public RefTerm Path { get; } = path;
    public string? Alias { get; } = alias;
}

internal sealed class ModuleAst(string file)
{
    public string File { get; } = file;
    public List<string> Package { get; } = [];
    public RegoLocation PackageLoc { get; set; } = new(file, 1, 1);
    public Values.RegoObject? PackageAnnotations { get; set; }
    public List<ImportAst> Imports { get; } = [];
    public List<RuleAst> Rules { get; } = [];
}
