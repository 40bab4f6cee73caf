namespace Higress.Core.Resources;

/// <summary>Where an object was read from. Not part of an object's equality.</summary>
/// <param name="SourceName">The source's name, e.g. <c>directory</c>, <c>appsettings</c>, <c>code</c>.</param>
/// <param name="FilePath">The file (relative to the source's root when there is one), or null.</param>
/// <param name="DocumentIndex">The zero-based index of the document in the file (or of the item in a list).</param>
/// <param name="ReadOrder">
/// A process-wide, monotonically increasing number taken when the object was first read. Objects without a
/// <c>creationTimestamp</c> count as created in this order; a reloaded object keeps the number of its
/// first read (see <c>SnapshotBuilder</c>), as Kubernetes keeps a creation time across updates.
/// </param>
public sealed record ResourceOrigin(string SourceName, string? FilePath, int DocumentIndex, long ReadOrder)
{
    private static long s_readOrder;

    /// <summary>An origin for objects built in code or in tests.</summary>
    public static ResourceOrigin Code { get; } = new("code", null, 0, 0);

    /// <summary>Takes the next read order number.</summary>
    public static long NextReadOrder() => Interlocked.Increment(ref s_readOrder);

    /// <summary>A copy for document <paramref name="documentIndex"/> with a fresh read order.</summary>
    /// <param name="documentIndex">The zero-based document index.</param>
    public ResourceOrigin ForDocument(int documentIndex) => this with { DocumentIndex = documentIndex, ReadOrder = NextReadOrder() };

    /// <summary><c>file.yaml#2</c> (1-based document number), or the source name when there is no file.</summary>
    public string Display => FilePath is null ? $"{SourceName}#{DocumentIndex + 1}" : $"{FilePath}#{DocumentIndex + 1}";

    /// <inheritdoc />
    public override string ToString() => Display;
}
