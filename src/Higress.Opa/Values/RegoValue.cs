using System.Text;

namespace Higress.Opa.Values;

/// <summary>The kind of a Rego value, in OPA's sort order (null &lt; boolean &lt; number &lt; string &lt; array &lt; object &lt; set).</summary>
public enum RegoKind
{
    /// <summary>The JSON null value.</summary>
    Null = 0,
    /// <summary>A boolean.</summary>
    Boolean = 1,
    /// <summary>A number (integer of any size or decimal).</summary>
    Number = 2,
    /// <summary>A string.</summary>
    String = 3,
    /// <summary>An array.</summary>
    Array = 4,
    /// <summary>An object.</summary>
    Object = 5,
    /// <summary>A set.</summary>
    Set = 6,
}

/// <summary>
/// An immutable Rego value. Values are freely shareable across threads. Equality and ordering follow OPA
/// (<c>ast/compare.go</c>): values of different kinds order by <see cref="RegoKind"/>; numbers compare numerically
/// (so <c>1</c> equals <c>1.0</c>); arrays element by element then by length; objects by sorted keys then values;
/// sets by their sorted elements.
/// </summary>
public abstract class RegoValue : IEquatable<RegoValue>, IComparable<RegoValue>
{
    private protected RegoValue() { }

    /// <summary>The kind of this value.</summary>
    public abstract RegoKind Kind { get; }

    /// <summary>The JSON null value.</summary>
    public static RegoNull Null => RegoNull.Instance;

    /// <summary>The boolean true.</summary>
    public static RegoBoolean True => RegoBoolean.True;

    /// <summary>The boolean false.</summary>
    public static RegoBoolean False => RegoBoolean.False;

    /// <summary>OPA's type name of this value: null, boolean, number, string, array, object or set.</summary>
    public string TypeName => TypeNameOf(Kind);

    /// <summary>OPA's type name of a kind.</summary>
    public static string TypeNameOf(RegoKind kind) => kind switch
    {
        RegoKind.Null => "null",
        RegoKind.Boolean => "boolean",
        RegoKind.Number => "number",
        RegoKind.String => "string",
        RegoKind.Array => "array",
        RegoKind.Object => "object",
        _ => "set",
    };

    /// <summary>Compares two values with OPA's total order.</summary>
    public static int Compare(RegoValue a, RegoValue b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (ReferenceEquals(a, b))
        {
            return 0;
        }
        var ka = a.Kind;
        var kb = b.Kind;
        if (ka != kb)
        {
            return ka < kb ? -1 : 1;
        }
        return a.CompareSameKind(b);
    }

    /// <summary>Compares with a value of the same kind.</summary>
    private protected abstract int CompareSameKind(RegoValue other);

    /// <summary>Equality with a value of the same kind.</summary>
    private protected abstract bool EqualsSameKind(RegoValue other);

    /// <inheritdoc />
    public int CompareTo(RegoValue? other) => other is null ? 1 : Compare(this, other);

    /// <inheritdoc />
    public bool Equals(RegoValue? other)
    {
        if (other is null)
        {
            return false;
        }
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        return Kind == other.Kind && EqualsSameKind(other);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RegoValue v && Equals(v);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>Equality operator (OPA value equality).</summary>
    public static bool operator ==(RegoValue? a, RegoValue? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(RegoValue? a, RegoValue? b) => !(a == b);

    /// <summary>Less-than in OPA order.</summary>
    public static bool operator <(RegoValue a, RegoValue b) => Compare(a, b) < 0;

    /// <summary>Greater-than in OPA order.</summary>
    public static bool operator >(RegoValue a, RegoValue b) => Compare(a, b) > 0;

    /// <summary>Less-or-equal in OPA order.</summary>
    public static bool operator <=(RegoValue a, RegoValue b) => Compare(a, b) <= 0;

    /// <summary>Greater-or-equal in OPA order.</summary>
    public static bool operator >=(RegoValue a, RegoValue b) => Compare(a, b) >= 0;

    /// <summary>Writes the value in Rego syntax (JSON for JSON values; sets as <c>{1, 2}</c> or <c>set()</c>).</summary>
    internal abstract void AppendRego(StringBuilder sb);

    /// <summary>The value in Rego syntax.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        AppendRego(sb);
        return sb.ToString();
    }

    /// <summary>Creates a string value.</summary>
    public static RegoString String(string s) => RegoString.Create(s);

    /// <summary>Creates a boolean value.</summary>
    public static RegoBoolean Boolean(bool b) => b ? RegoBoolean.True : RegoBoolean.False;

    /// <summary>Creates an integer number.</summary>
    public static RegoNumber Number(long n) => RegoNumber.FromInt64(n);

    /// <summary>Creates a number from a double.</summary>
    public static RegoNumber Number(double n) => RegoNumber.FromDouble(n);

    /// <summary>Converts a plain .NET value (null, bool, numbers, string, JsonElement, dictionaries, enumerables, RegoValue) to a Rego value.</summary>
    public static RegoValue FromObject(object? value) => RegoConvert.FromObject(value);

    /// <summary>Converts the value to plain .NET values: null, bool, long/BigInteger/double, string, List&lt;object?&gt; (arrays and sets), Dictionary&lt;string, object?&gt;.</summary>
    public object? ToObject() => RegoConvert.ToObject(this);
}
