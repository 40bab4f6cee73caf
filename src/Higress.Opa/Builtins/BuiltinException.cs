using Higress.Opa.Values;

namespace Higress.Opa.Builtins;

/// <summary>
/// Thrown by a built-in implementation. <see cref="Code"/> is <c>eval_type_error</c> for operands of the wrong type and
/// <c>eval_builtin_error</c> otherwise. The message must NOT start with the built-in name: the evaluator prefixes
/// <c>"name: "</c> as OPA does. Without strict built-in errors the evaluator turns these errors into "undefined".
/// </summary>
public sealed class BuiltinException : Exception
{
    /// <summary>Creates an error with a code.</summary>
    public BuiltinException(string code, string message) : base(message) => Code = code;

    /// <summary>Creates an <c>eval_builtin_error</c>.</summary>
    public BuiltinException(string message) : this(RegoErrorCodes.EvalBuiltinError, message) { }

    /// <summary>Creates an <c>eval_builtin_error</c>.</summary>
    public BuiltinException() : this(RegoErrorCodes.EvalBuiltinError, "built-in error") { }

    /// <summary>Creates an <c>eval_builtin_error</c> wrapping an exception.</summary>
    public BuiltinException(string message, Exception inner) : base(message, inner) => Code = RegoErrorCodes.EvalBuiltinError;

    /// <summary>True for errors made by <see cref="OperandType"/> (the compiler reports them for constant operands).</summary>
    internal bool IsOperandTypeError { get; private set; }

    /// <summary><c>eval_type_error</c> or <c>eval_builtin_error</c>.</summary>
    public string Code { get; }

    /// <summary>An <c>eval_type_error</c> with a free message, e.g. <c>operand 1 must be one of {2, 8, 10, 16}</c>.</summary>
    public static BuiltinException TypeError(string message) => new(RegoErrorCodes.EvalTypeError, message);

    /// <summary>An <c>eval_builtin_error</c> with a free message.</summary>
    public static BuiltinException Error(string message) => new(RegoErrorCodes.EvalBuiltinError, message);

    /// <summary>
    /// OPA's operand type error: <c>operand 1 must be string but got number</c>, or with several expected types
    /// <c>operand 1 must be one of {array, object, set, string} but got number</c>. <paramref name="position"/> is 1-based.
    /// </summary>
    public static BuiltinException OperandType(int position, RegoValue got, params string[] expected)
    {
        ArgumentNullException.ThrowIfNull(got);
        ArgumentNullException.ThrowIfNull(expected);
        string want = expected.Length == 1 ? expected[0] : "one of {" + string.Join(", ", expected.OrderBy(s => s, StringComparer.Ordinal)) + "}";
        var e = TypeError($"operand {position} must be {want} but got {got.TypeName}");
        e.IsOperandTypeError = true;
        return e;
    }
}
