using Higress.Opa.Values;

namespace Higress.Opa.Builtins;

/// <summary>
/// A built-in implementation. <paramref name="args"/> holds exactly the declared number of ground operands.
/// Return the result, or <c>null</c> for "undefined". Throw <see cref="BuiltinException"/> for errors.
/// </summary>
public delegate RegoValue? BuiltinFunction(ReadOnlySpan<RegoValue> args, BuiltinContext context);

/// <summary>A built-in that produces zero or more results (like <c>walk</c>); each result is one solution.</summary>
public delegate IEnumerable<RegoValue> BuiltinGenerator(RegoValue[] args, BuiltinContext context);

/// <summary>Properties of a built-in.</summary>
[Flags]
public enum BuiltinFlags
{
    /// <summary>A pure function of its operands.</summary>
    None = 0,
    /// <summary>The result may differ between calls (time, randomness, network); never folded at compile time.</summary>
    Nondeterministic = 1,
}

/// <summary>A declared built-in: name, arity and implementation.</summary>
public sealed class BuiltinDefinition
{
    internal BuiltinDefinition(string name, int arity, BuiltinFunction? function, BuiltinGenerator? generator, BuiltinFlags flags)
    {
        Name = name;
        Arity = arity;
        Function = function;
        Generator = generator;
        Flags = flags;
    }

    /// <summary>Full name, e.g. <c>strings.replace_n</c>.</summary>
    public string Name { get; }

    /// <summary>Number of operands (the optional output operand is not counted).</summary>
    public int Arity { get; }

    /// <summary>The implementation for ordinary functions.</summary>
    public BuiltinFunction? Function { get; }

    /// <summary>The implementation for multi-result built-ins.</summary>
    public BuiltinGenerator? Generator { get; }

    /// <summary>Properties.</summary>
    public BuiltinFlags Flags { get; }
}
