namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Why a YAML or JSON text could not be read: where (1-based line and column of the file, not of the document)
/// and what was expected.
/// </summary>
/// <param name="Line">The file's line, from 1.</param>
/// <param name="Column">The column in characters, from 1.</param>
/// <param name="Message">What is wrong, e.g. <c>unclosed flow sequence '[' opened at line 3, column 10: expected ']'</c>.</param>
/// <param name="Fix">What to change.</param>
internal sealed record SyntaxError(long Line, long Column, string Message, string Fix)
{
    /// <summary><c>not valid YAML at line 3, column 10: ...</c>.</summary>
    /// <param name="format"><c>YAML</c> or <c>JSON</c>.</param>
    public string Describe(string format) => $"not valid {format} at line {Line}, column {Column}: {Message}";
}

/// <summary>Carries a <see cref="SyntaxError"/> out of the converter that found it.</summary>
internal sealed class InvalidDocumentException(SyntaxError error) : Exception(error.Message)
{
    public SyntaxError Error { get; } = error;
}
