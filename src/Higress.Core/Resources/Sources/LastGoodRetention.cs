namespace Higress.Core.Resources.Sources;

/// <summary>
/// Keeps the last good configuration serving: an object that disappears from a snapshot because the file (or
/// source) it came from now has errors is carried over from the previous snapshot, with a warning, until that file
/// reads cleanly again. An object removed from a file that reads cleanly is removed.
/// </summary>
internal static class LastGoodRetention
{
    /// <summary>Returns <paramref name="current"/> plus the objects of <paramref name="previous"/> that a broken file hid.</summary>
    public static ResourceSnapshot Apply(ResourceSnapshot? previous, ResourceSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (previous is null)
        {
            return current;
        }

        var broken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var diagnostic in current.Diagnostics)
        {
            if (diagnostic.IsError && diagnostic.SourceFile is { } file)
            {
                var hash = file.LastIndexOf('#');
                broken.Add(hash < 0 ? file : file[..hash]);
            }
        }

        if (broken.Count == 0)
        {
            return current;
        }

        var kept = new List<Resource>();
        var warnings = new List<ConfigDiagnostic>();
        foreach (var resource in previous.Resources)
        {
            var from = resource.Origin.FilePath ?? resource.Origin.SourceName;
            if (current.Get(resource.Key) is null && broken.Contains(from))
            {
                kept.Add(resource);
                warnings.Add(new ConfigDiagnostic(
                    DiagnosticSeverity.Warning,
                    resource.Display,
                    string.Empty,
                    $"{from} has errors, so the last good version of this object keeps serving",
                    "fix the errors reported for " + from,
                    resource.Origin.Display));
            }
        }

        return kept.Count == 0
            ? current
            : new ResourceSnapshot(current.Resources.Concat(kept), current.Diagnostics.Concat(warnings), current.Generation);
    }
}
