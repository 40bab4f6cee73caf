using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class TypeBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("is_number", (a, _) => RegoValue.Boolean(a is RegoNumber));
        r.Register1("is_string", (a, _) => RegoValue.Boolean(a is RegoString));
        r.Register1("is_boolean", (a, _) => RegoValue.Boolean(a is RegoBoolean));
        r.Register1("is_array", (a, _) => RegoValue.Boolean(a is RegoArray));
        r.Register1("is_set", (a, _) => RegoValue.Boolean(a is RegoSet));
        r.Register1("is_object", (a, _) => RegoValue.Boolean(a is RegoObject));
        r.Register1("is_null", (a, _) => RegoValue.Boolean(a is RegoNull));
        r.Register1("type_name", (a, _) => RegoValue.String(a.TypeName));
        r.Register1("to_number", (a, _) => ToNumber(a));
    }

    private static RegoNumber ToNumber(RegoValue a)
    {
        switch (a)
        {
            case RegoNull:
                return RegoNumber.Zero;
            case RegoBoolean b:
                return b.Value ? RegoNumber.One : RegoNumber.Zero;
            case RegoNumber n:
                return n;
            case RegoString s:
                string t = s.Value;
                string lower = t.ToLowerInvariant().TrimStart('+', '-');
                if (lower is "inf" or "infinity" or "nan")
                {
                    throw BuiltinException.TypeError("operand 1 must be a valid number string but got " + t);
                }
                // As OPA, the number keeps the string as its text ("1.50", "+2"), once it parses as a float.
                string unsigned = t.StartsWith('+') || t.StartsWith('-') ? t[1..] : t;
                var num = unsigned.Length > 0 && (char.IsAsciiDigit(unsigned[0]) || unsigned[0] == '.') ? RegoNumber.TryParse(t) : null;
                if (num is null)
                {
                    throw BuiltinException.Error($"strconv.ParseFloat: parsing \"{t}\": invalid syntax");
                }
                return num;
            default:
                throw BuiltinException.OperandType(1, a, "boolean", "null", "number", "string");
        }
    }
}
