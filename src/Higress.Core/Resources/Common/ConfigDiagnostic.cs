namespace Higress.Core.Resources;

/// <summary>
/// A configuration problem found while reading or merging objects. It names the object, the field and the fix:
/// <c>Route shop/orders: spec.http[0].match[1].uri.regex: '(' is unclosed; fix the regular expression</c>.
/// </summary>
/// <param name="Severity">Error (the object was dropped) or warning.</param>
/// <param name="Object">The object, <c>Route shop/orders</c>, or <c>file.yaml#2</c> when it has no name yet.</param>
/// <param name="FieldPath">The field, e.g. <c>spec.http[0].match[1].uri.regex</c>; empty for the whole object.</param>
/// <param name="Message">What is wrong.</param>
/// <param name="Fix">How to fix it, or null.</param>
/// <param name="SourceFile">The file (or source) and document, e.g. <c>routes.yaml#2</c>, or null.</param>
public sealed record ConfigDiagnostic(
    DiagnosticSeverity Severity,
    string Object,
    string FieldPath,
    string Message,
    string? Fix = null,
    string? SourceFile = null)
{
    /// <summary>True for errors.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary><c>Object: field.path: message; fix</c>.</summary>
    public override string ToString()
    {
        var path = FieldPath.Length == 0 ? string.Empty : FieldPath + ": ";
        var fix = string.IsNullOrEmpty(Fix) ? string.Empty : "; " + Fix;
        return $"{Object}: {path}{Message}{fix}";
    }
}
