namespace Higress.Core.Resources.Parsing;

/// <summary>The objects read from a text, and every problem found; documents with errors are not in <see cref="Resources"/>.</summary>
/// <param name="Resources">The objects that loaded.</param>
/// <param name="Diagnostics">Errors (documents dropped) and warnings.</param>
internal sealed record ParseResult(IReadOnlyList<Resource> Resources, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    /// <summary>True when any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
