using Higress.Core.Resources;

namespace Higress.Hosting.Sources;

/// <summary>
/// Lists the configuration files under a root, visiting each real directory once: a directory reached again through
/// a symbolic link (a loop, or a second path to the same folder) is skipped with one warning, rather than followed
/// until the OS refuses. A folder that cannot be listed is reported, not silently taken as empty, so that the caller
/// can keep the last good objects of its files.
/// </summary>
internal sealed class DirectoryWalk
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];
    private static readonly StringComparer PathComparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private readonly string _root;
    private readonly Func<string, IEnumerable<FileSystemInfo>> _list;
    private readonly HashSet<string> _visited = new(PathComparer);

    private DirectoryWalk(string root, Func<string, IEnumerable<FileSystemInfo>> list)
    {
        _root = root;
        _list = list;
    }

    /// <summary>The files found, as (path relative to the root with <c>/</c> separators, full path), in relative-path order.</summary>
    public List<(string Relative, string Full)> Files { get; } = [];

    /// <summary>Folders (relative, ending in <c>/</c>; the root is empty) that could not be listed.</summary>
    public List<string> Unreadable { get; } = [];

    /// <summary>Unreadable folders and skipped symbolic links, one diagnostic each.</summary>
    public List<ConfigDiagnostic> Diagnostics { get; } = [];

    /// <summary>Lists the directory as it is now.</summary>
    /// <param name="root">The full path of the root.</param>
    /// <param name="list">Lists one directory's entries; the default is <see cref="DirectoryInfo.EnumerateFileSystemInfos()"/>.</param>
    public static DirectoryWalk Run(string root, Func<string, IEnumerable<FileSystemInfo>>? list = null)
    {
        var walk = new DirectoryWalk(root, list ?? (path => new DirectoryInfo(path).EnumerateFileSystemInfos()));
        walk._visited.Add(RealPath(root));
        walk.Visit(root, string.Empty);
        walk.Files.Sort((a, b) => string.CompareOrdinal(a.Relative, b.Relative));
        return walk;
    }

    /// <summary>
    /// The path with every symbolic link in it resolved (what <c>realpath(3)</c> returns), so that two paths to one
    /// directory compare equal. Bounded like the OS: more than 40 links is a loop.
    /// </summary>
    public static string RealPath(string path)
    {
        var current = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        for (var hops = 0; hops < 40; hops++)
        {
            var next = ResolveFirstLink(current);
            if (next is null)
            {
                return current;
            }

            current = next;
        }

        throw new IOException($"too many levels of symbolic links in {path}");
    }

    private static string? ResolveFirstLink(string full)
    {
        var root = Path.GetPathRoot(full) ?? string.Empty;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            current = Path.Join(current, parts[i]);
            if (new FileInfo(current).LinkTarget is { } target)
            {
                var resolved = Path.GetFullPath(target, Path.GetDirectoryName(current) ?? root);
                return Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Join([resolved, .. parts[(i + 1)..]])));
            }
        }

        return null;
    }

    private void Visit(string directory, string relative)
    {
        List<FileSystemInfo> entries;
        try
        {
            entries = [.. _list(directory).OrderBy(e => e.Name, StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            var folder = relative.Length == 0 ? "./" : relative;
            Unreadable.Add(relative);
            Diagnostics.Add(new ConfigDiagnostic(
                DiagnosticSeverity.Error,
                folder,
                string.Empty,
                $"cannot read the folder ({ex.Message}); the last good objects of its files keep serving",
                $"give the gateway's user permission to list and read {folder}, or remove it",
                folder));
            return;
        }

        foreach (var entry in entries)
        {
            if (entry.Name.StartsWith('.') || (entry.Attributes & (FileAttributes.Hidden | FileAttributes.System)) != 0)
            {
                continue;
            }

            var childRelative = relative + entry.Name;
            if (entry is DirectoryInfo)
            {
                VisitSubdirectory(entry, childRelative + "/");
            }
            else if (Extensions.Contains(Path.GetExtension(entry.Name), StringComparer.OrdinalIgnoreCase))
            {
                Files.Add((childRelative, entry.FullName));
            }
        }
    }

    private void VisitSubdirectory(FileSystemInfo entry, string relative)
    {
        string real;
        try
        {
            real = RealPath(entry.FullName);
        }
        catch (IOException ex)
        {
            Diagnostics.Add(Skipped(relative, ex.Message));
            return;
        }

        if (_visited.Add(real))
        {
            Visit(entry.FullName, relative);
        }
        else if (entry.LinkTarget is not null)
        {
            Diagnostics.Add(Skipped(relative, $"a symbolic link to {real}, a folder already read (a loop, or a second path to it)"));
        }
    }

    private static ConfigDiagnostic Skipped(string folder, string why) =>
        new(DiagnosticSeverity.Warning, folder, string.Empty, why + "; skipped", "remove the link if it is not meant to be there", folder);
}
