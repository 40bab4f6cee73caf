using Higress.Opa.Values;

namespace Higress.Opa.Builtins;

/// <summary>Operand checks for built-in implementations; each throws OPA's operand type error (positions are 1-based).</summary>
public static class Operand
{
    /// <summary>The operand as a string.</summary>
    public static string AsString(RegoValue v, int position) =>
        v is RegoString s ? s.Value : throw BuiltinException.OperandType(position, v, "string");

    /// <summary>The operand as a number.</summary>
    public static RegoNumber AsNumber(RegoValue v, int position) =>
        v as RegoNumber ?? throw BuiltinException.OperandType(position, v, "number");

    /// <summary>The operand as an integer that fits an int (error <c>operand N must be integer number but got floating-point number</c> otherwise).</summary>
    public static int AsInt32(RegoValue v, int position)
    {
        var n = AsNumber(v, position);
        if (!n.IsInteger)
        {
            throw BuiltinException.TypeError($"operand {position} must be integer number but got floating-point number");
        }
        if (!n.TryGetInt32(out int i))
        {
            throw BuiltinException.Error($"operand {position} is out of range");
        }
        return i;
    }

    /// <summary>The operand as a boolean.</summary>
    public static bool AsBoolean(RegoValue v, int position) =>
        v is RegoBoolean b ? b.Value : throw BuiltinException.OperandType(position, v, "boolean");

    /// <summary>The operand as an array.</summary>
    public static RegoArray AsArray(RegoValue v, int position) =>
        v as RegoArray ?? throw BuiltinException.OperandType(position, v, "array");

    /// <summary>The operand as an object.</summary>
    public static RegoObject AsObject(RegoValue v, int position) =>
        v as RegoObject ?? throw BuiltinException.OperandType(position, v, "object");

    /// <summary>The operand as a set.</summary>
    public static RegoSet AsSet(RegoValue v, int position) =>
        v as RegoSet ?? throw BuiltinException.OperandType(position, v, "set");

    /// <summary>The elements of an array or set operand.</summary>
    public static ReadOnlySpan<RegoValue> AsArrayOrSet(RegoValue v, int position) => v switch
    {
        RegoArray a => a.AsSpan(),
        RegoSet s => s.AsSpan(),
        _ => throw BuiltinException.OperandType(position, v, "array", "set"),
    };
}
