namespace Higress.Core.Resources.Sources;

/// <summary>What a source read: its objects and the problems found.</summary>
/// <param name="Resources">The objects that loaded.</param>
/// <param name="Diagnostics">Errors (dropped documents) and warnings.</param>
public sealed record SourceContent(EquatableArray<Resource> Resources, EquatableArray<ConfigDiagnostic> Diagnostics)
{
    /// <summary>Nothing read yet.</summary>
    public static SourceContent Empty { get; } = new([], []);
}
