namespace Higress.Opa;

/// <summary>A source position: file, 1-based line and column.</summary>
/// <param name="File">The file (module path) or an empty string.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record RegoLocation(string File, int Line, int Column)
{
    /// <summary>file:line:col.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}

/// <summary>OPA error codes used by the engine.</summary>
public static class RegoErrorCodes
{
    /// <summary>Syntax error.</summary>
    public const string ParseError = "rego_parse_error";
    /// <summary>Compile error (e.g. conflicting rules, unknown package).</summary>
    public const string CompileError = "rego_compile_error";
    /// <summary>Compile-time type error.</summary>
    public const string TypeError = "rego_type_error";
    /// <summary>Unsafe variable.</summary>
    public const string UnsafeVarError = "rego_unsafe_var_error";
    /// <summary>Recursive rules.</summary>
    public const string RecursionError = "rego_recursion_error";
    /// <summary>Evaluation type error (e.g. a built-in operand of the wrong type).</summary>
    public const string EvalTypeError = "eval_type_error";
    /// <summary>Evaluation built-in error.</summary>
    public const string EvalBuiltinError = "eval_builtin_error";
    /// <summary>A complete rule or function produced several values, or object keys conflict.</summary>
    public const string EvalConflictError = "eval_conflict_error";
    /// <summary>Evaluation was cancelled or exceeded its time budget.</summary>
    public const string EvalCancelError = "eval_cancel_error";
    /// <summary>Evaluation exceeded its depth limit (e.g. unbounded recursion through functions).</summary>
    public const string EvalDepthError = "eval_depth_limit_error";
    /// <summary>Internal evaluation error.</summary>
    public const string EvalInternalError = "eval_internal_error";
    /// <summary>A bundle or data file could not be loaded.</summary>
    public const string LoadError = "load_error";
}

/// <summary>An error from parsing, compiling or evaluating Rego, with OPA's error code and an optional location.</summary>
public class RegoException : Exception
{
    /// <summary>Creates an error.</summary>
    public RegoException(string code, string message, RegoLocation? location = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Location = location;
    }

    /// <summary>Creates an error with the generic compile code.</summary>
    public RegoException() : this(RegoErrorCodes.CompileError, "rego error") { }

    /// <summary>Creates an error with the generic compile code.</summary>
    public RegoException(string message) : this(RegoErrorCodes.CompileError, message) { }

    /// <summary>Creates an error with the generic compile code.</summary>
    public RegoException(string message, Exception inner) : this(RegoErrorCodes.CompileError, message, null, inner) { }

    /// <summary>OPA's error code, e.g. <c>rego_parse_error</c> or <c>eval_conflict_error</c>.</summary>
    public string Code { get; }

    /// <summary>Where the error is, when known.</summary>
    public RegoLocation? Location { get; }

    /// <summary>"file:line:col: code: message" (location omitted when unknown).</summary>
    public string FullMessage => Location is null ? $"{Code}: {Message}" : $"{Location}: {Code}: {Message}";

    /// <inheritdoc />
    public override string ToString() => FullMessage;
}
