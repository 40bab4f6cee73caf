using Higress.Opa.Builtins.Library;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins;

/// <summary>
/// The set of built-in functions a policy can call. <see cref="Default"/> holds OPA's built-ins; create your own with
/// <see cref="CreateDefault"/> and <see cref="Register(string, int, BuiltinFunction, BuiltinFlags)"/> to add custom ones.
/// A registry is read concurrently by evaluations; register everything before compiling.
/// </summary>
public sealed class BuiltinRegistry
{
    private static readonly Lazy<BuiltinRegistry> DefaultRegistry = new(CreateDefault);
    private readonly Dictionary<string, BuiltinDefinition> _definitions = new(StringComparer.Ordinal);

    /// <summary>The shared registry with OPA's built-ins.</summary>
    public static BuiltinRegistry Default => DefaultRegistry.Value;

    /// <summary>Creates a new registry holding OPA's built-ins.</summary>
    public static BuiltinRegistry CreateDefault()
    {
        var r = new BuiltinRegistry();
        CoreBuiltins.Register(r);
        BuiltinLibrary.RegisterAll(r);
        return r;
    }

    /// <summary>Creates an empty registry.</summary>
    public static BuiltinRegistry CreateEmpty() => new();

    private BuiltinRegistry() { }

    /// <summary>All registered names.</summary>
    public IEnumerable<string> Names => _definitions.Keys;

    /// <summary>Declares (or replaces) a built-in with a fixed arity.</summary>
    public BuiltinRegistry Register(string name, int arity, BuiltinFunction function, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        _definitions[name] = new BuiltinDefinition(name, arity, function, null, flags);
        return this;
    }

    /// <summary>Declares a built-in that yields several results (each is one solution).</summary>
    public BuiltinRegistry RegisterGenerator(string name, int arity, BuiltinGenerator generator, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(generator);
        _definitions[name] = new BuiltinDefinition(name, arity, null, generator, flags);
        return this;
    }

    /// <summary>Declares a built-in of no operand.</summary>
    public BuiltinRegistry Register0(string name, Func<BuiltinContext, RegoValue?> f, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Register(name, 0, (_, c) => f(c), flags);
    }

    /// <summary>Declares a built-in of one operand.</summary>
    public BuiltinRegistry Register1(string name, Func<RegoValue, BuiltinContext, RegoValue?> f, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Register(name, 1, (a, c) => f(a[0], c), flags);
    }

    /// <summary>Declares a built-in of two operands.</summary>
    public BuiltinRegistry Register2(string name, Func<RegoValue, RegoValue, BuiltinContext, RegoValue?> f, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Register(name, 2, (a, c) => f(a[0], a[1], c), flags);
    }

    /// <summary>Declares a built-in of three operands.</summary>
    public BuiltinRegistry Register3(string name, Func<RegoValue, RegoValue, RegoValue, BuiltinContext, RegoValue?> f, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Register(name, 3, (a, c) => f(a[0], a[1], a[2], c), flags);
    }

    /// <summary>Declares a built-in of four operands.</summary>
    public BuiltinRegistry Register4(string name, Func<RegoValue, RegoValue, RegoValue, RegoValue, BuiltinContext, RegoValue?> f, BuiltinFlags flags = BuiltinFlags.None)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Register(name, 4, (a, c) => f(a[0], a[1], a[2], a[3], c), flags);
    }

    /// <summary>Looks a built-in up by full name.</summary>
    public bool TryGet(string name, out BuiltinDefinition definition)
    {
        if (_definitions.TryGetValue(name, out var d))
        {
            definition = d;
            return true;
        }
        definition = null!;
        return false;
    }

    /// <summary>True when a built-in of that name exists.</summary>
    public bool Contains(string name) => _definitions.ContainsKey(name);

    /// <summary>True when some built-in name starts with <paramref name="prefix"/> followed by a dot (e.g. "strings").</summary>
    internal bool HasNamespace(string prefix)
    {
        foreach (var k in _definitions.Keys)
        {
            if (k.Length > prefix.Length && k[prefix.Length] == '.' && k.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
