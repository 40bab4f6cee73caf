namespace Higress.Core.Resources.Sources;

/// <summary>
/// Merges sources into a <see cref="ResourceSnapshot"/>. Sources are taken in the order given, and within a source
/// in read order. When two objects share a key (kind, namespace, name — <c>HTTPRoute</c> v1 and v1beta1 count
/// as one kind) the first is kept and the later one is reported as a warning, in line with "the older object
/// wins". An object whose key was in the previous snapshot keeps its previous read order, so reloading a file
/// does not reorder precedence ties.
/// </summary>
internal static class SnapshotBuilder
{
    /// <summary>Builds the next snapshot from <paramref name="sources"/>.</summary>
    /// <param name="sources">The sources' contents, in precedence order, with their names.</param>
    /// <param name="previous">The previous snapshot (for generation and read order), or null.</param>
    public static ResourceSnapshot Build(IEnumerable<(string Name, SourceContent Content)> sources, ResourceSnapshot? previous = null)
    {
        var kept = new Dictionary<ResourceKey, Resource>();
        var order = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        foreach (var (name, content) in sources)
        {
            diagnostics.AddRange(content.Diagnostics);
            foreach (var resource in content.Resources.OrderBy(r => r.Origin.ReadOrder))
            {
                if (kept.TryGetValue(resource.Key, out var first))
                {
                    diagnostics.Add(new ConfigDiagnostic(
                        DiagnosticSeverity.Warning,
                        resource.Display,
                        string.Empty,
                        $"duplicate of the object from {first.Origin.Display}; this copy ({resource.Origin.Display}, source {name}) is ignored",
                        "give one of them another name or namespace, or delete one",
                        resource.Origin.Display));
                    continue;
                }

                var carried = resource;
                if (previous?.Get(resource.Key) is { } before && before.Origin.SourceName == resource.Origin.SourceName && before.Origin.ReadOrder < resource.Origin.ReadOrder)
                {
                    carried = resource with { Origin = resource.Origin with { ReadOrder = before.Origin.ReadOrder } };
                }

                kept.Add(resource.Key, carried);
                order.Add(carried);
            }
        }

        return new ResourceSnapshot(order, diagnostics, (previous?.Generation ?? 0) + 1);
    }

    /// <summary>Builds the next snapshot from the sources' current contents.</summary>
    /// <param name="sources">The sources, in precedence order.</param>
    /// <param name="previous">The previous snapshot, or null.</param>
    public static ResourceSnapshot Build(IEnumerable<IResourceSource> sources, ResourceSnapshot? previous = null) =>
        Build(sources.Select(s => (s.Name, s.Current)), previous);
}
