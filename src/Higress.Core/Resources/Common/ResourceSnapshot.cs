using System.Collections.Frozen;

namespace Higress.Core.Resources;

/// <summary>
/// An immutable set of objects, keyed by kind, namespace and name, with the diagnostics produced while reading
/// them. Every change yields a new snapshot; a snapshot never changes.
/// </summary>
public sealed class ResourceSnapshot
{
    private readonly FrozenDictionary<ResourceKey, Resource> _byKey;
    private readonly FrozenDictionary<Type, Resource[]> _byType;

    /// <summary>Creates a snapshot. Objects are kept in <c>namespace/name</c> order; a duplicate key keeps the first.</summary>
    /// <param name="resources">The objects.</param>
    /// <param name="diagnostics">Diagnostics to carry along.</param>
    /// <param name="generation">The snapshot's generation.</param>
    public ResourceSnapshot(IEnumerable<Resource> resources, IEnumerable<ConfigDiagnostic>? diagnostics = null, long generation = 0)
    {
        var byKey = new Dictionary<ResourceKey, Resource>();
        foreach (var resource in resources)
        {
            byKey.TryAdd(resource.Key, resource);
        }

        var ordered = byKey.Values
            .OrderBy(r => r.ResourceKind.Group, StringComparer.Ordinal)
            .ThenBy(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Namespace, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
        _byKey = byKey.ToFrozenDictionary();
        _byType = ordered.GroupBy(r => r.GetType()).ToFrozenDictionary(g => g.Key, g => g.ToArray());
        Resources = EquatableArray<Resource>.FromOwned(ordered);
        Diagnostics = [.. diagnostics ?? []];
        Generation = generation;
    }

    /// <summary>An empty snapshot, generation 0.</summary>
    public static ResourceSnapshot Empty { get; } = new([]);

    /// <summary>The snapshot's generation: each published snapshot has a higher one.</summary>
    public long Generation { get; }

    /// <summary>Every object, ordered by group, kind, namespace, name.</summary>
    public EquatableArray<Resource> Resources { get; }

    /// <summary>Problems found while reading and merging (dropped documents, unknown fields, duplicates).</summary>
    public EquatableArray<ConfigDiagnostic> Diagnostics { get; }

    /// <summary>The number of objects.</summary>
    public int Count => _byKey.Count;

    /// <summary>The object with <paramref name="key"/>, or null.</summary>
    /// <param name="key">The key.</param>
    public Resource? Get(ResourceKey key) => _byKey.GetValueOrDefault(key);

    /// <summary>The <typeparamref name="T"/> named <paramref name="name"/> in <paramref name="namespace"/>, or null.</summary>
    /// <typeparam name="T">The record type, e.g. <see cref="Route"/>.</typeparam>
    /// <param name="namespace">The namespace (ignored for cluster-scoped kinds).</param>
    /// <param name="name">The name.</param>
    public T? Get<T>(string @namespace, string name)
        where T : Resource
    {
        var items = _byType.GetValueOrDefault(typeof(T));
        if (items is null || items.Length == 0)
        {
            return null;
        }

        var key = items[0].IsNamespaced ? new ResourceKey(items[0].ResourceKind, @namespace, name) : new ResourceKey(items[0].ResourceKind, string.Empty, name);
        return _byKey.GetValueOrDefault(key) as T;
    }

    /// <summary>Every <typeparamref name="T"/>, ordered by namespace then name.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    public IReadOnlyList<T> OfType<T>()
        where T : Resource => _byType.TryGetValue(typeof(T), out var items) ? items.Cast<T>().ToArray() : [];

    /// <summary>Every <typeparamref name="T"/> in <paramref name="namespace"/>, ordered by name.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="namespace">The namespace.</param>
    public IReadOnlyList<T> OfType<T>(string @namespace)
        where T : Resource => OfType<T>().Where(r => r.Namespace == @namespace).ToArray();

    /// <summary>Every object of <paramref name="kind"/>.</summary>
    /// <param name="kind">The kind and group.</param>
    public IEnumerable<Resource> OfKind(ResourceKind kind) => Resources.Where(r => r.ResourceKind == kind);

    /// <summary>A new snapshot with the same objects and another generation and diagnostics.</summary>
    /// <param name="generation">The new generation.</param>
    /// <param name="diagnostics">The diagnostics; null keeps these.</param>
    public ResourceSnapshot With(long generation, IEnumerable<ConfigDiagnostic>? diagnostics = null) =>
        new(Resources, diagnostics ?? Diagnostics, generation);

    /// <summary>True when both snapshots hold equal objects (generation and diagnostics aside).</summary>
    /// <param name="other">The other snapshot.</param>
    public bool ContentEquals(ResourceSnapshot other) => Resources == other.Resources;
}
