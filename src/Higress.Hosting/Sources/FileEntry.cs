using Higress.Core.Resources;

namespace Higress.Hosting.Sources;

/// <summary>What <see cref="DirectoryResourceSource"/> last accepted from one file.</summary>
/// <param name="Stamp">The size and write time of the content accepted.</param>
/// <param name="Resources">The objects read.</param>
/// <param name="Diagnostics">The problems found.</param>
internal sealed record FileEntry(FileStamp Stamp, EquatableArray<Resource> Resources, EquatableArray<ConfigDiagnostic> Diagnostics)
{
    /// <summary>A newer stamp seen while the file was still being written, not yet read; null when settled.</summary>
    public FileStamp? Pending { get; init; }

    /// <summary>When <see cref="Pending"/> was first seen (a <see cref="TimeProvider"/> timestamp).</summary>
    public long PendingSince { get; init; }

    /// <summary>True when the entry matches the file as it is.</summary>
    public bool Settled => Pending is null;
}

/// <summary>A file's size and last write time: while neither changes, its content is taken as unchanged.</summary>
/// <param name="Length">The size in bytes.</param>
/// <param name="LastWriteUtc">The last write time.</param>
internal readonly record struct FileStamp(long Length, DateTime LastWriteUtc)
{
    /// <summary>The file's stamp now, or null when it does not exist.</summary>
    public static FileStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Length}|{LastWriteUtc.Ticks}";
}
