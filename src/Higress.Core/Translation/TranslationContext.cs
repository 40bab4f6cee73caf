using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>Collects diagnostics and statuses during one translation.</summary>
internal sealed class TranslationContext(ResourceSnapshot snapshot, TranslatorOptions options)
{
    private readonly Dictionary<string, StatusBuilder> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _notEnforced = new(StringComparer.Ordinal);

    public ResourceSnapshot Snapshot { get; } = snapshot;

    public TranslatorOptions Options { get; } = options;

    public List<ConfigDiagnostic> Diagnostics { get; } = [];

    public void Error(Resource resource, string field, string message, string? fix = null) =>
        Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, resource.Display, field, message, fix, resource.Origin.FilePath is null ? null : resource.Origin.Display));

    public void Warning(Resource resource, string field, string message, string? fix = null) =>
        Diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, resource.Display, field, message, fix, resource.Origin.FilePath is null ? null : resource.Origin.Display));

    /// <summary>
    /// A field this version reads but does not act on yet. It must never look enforced: a warning naming the field,
    /// and an <c>Enforced: False</c> condition on the object listing every such field, so the object's status says it too.
    /// </summary>
    public void NotEnforced(Resource resource, string field, string? detail = null)
    {
        var message = "is accepted but not enforced yet" + (detail is null ? string.Empty : ": " + detail);
        Warning(resource, field, message, "remove it, or expect it in a later version");
        if (!_notEnforced.TryGetValue(resource.Display, out var fields))
        {
            fields = [];
            _notEnforced[resource.Display] = fields;
            Status(resource);
        }

        fields.Add(field);
    }

    public StatusBuilder Status(Resource resource) => Status(resource.Display, resource.Metadata.Generation);

    /// <summary>The status of an object known only by its display name (e.g. one dropped while reading).</summary>
    public StatusBuilder Status(string display, long generation = 0)
    {
        if (!_statuses.TryGetValue(display, out var builder))
        {
            builder = new StatusBuilder(display, generation);
            _statuses[display] = builder;
        }

        return builder;
    }

    public EquatableArray<ObjectStatus> BuildStatuses()
    {
        foreach (var (display, fields) in _notEnforced)
        {
            Status(display).Set("Enforced", false, "NotEnforced", $"not enforced yet (accepted, without effect): {string.Join(", ", fields)}");
        }

        return _statuses.Values.OrderBy(s => s.Object, StringComparer.Ordinal).Select(s => s.Build()).ToEquatableArray();
    }
}

/// <summary>Accumulates one object's conditions; the first false condition of a type wins over later true ones.</summary>
internal sealed class StatusBuilder(string obj, long generation)
{
    private readonly List<StatusCondition> _conditions = [];
    private readonly Dictionary<string, List<StatusCondition>> _parents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _attachedRoutes = new(StringComparer.Ordinal);

    public string Object { get; } = obj;

    public void Set(string type, bool status, string reason, string message) => Upsert(_conditions, new StatusCondition(type, status, reason, message));

    public void SetParent(string parent, string type, bool status, string reason, string message)
    {
        if (!_parents.TryGetValue(parent, out var list))
        {
            list = [];
            _parents[parent] = list;
        }

        Upsert(list, new StatusCondition(type, status, reason, message));
    }

    public bool HasParent(string parent) => _parents.ContainsKey(parent);

    /// <summary>Records how many routes attach to a listener (a parent of a Gateway's status).</summary>
    public void SetAttachedRoutes(string parent, int count) => _attachedRoutes[parent] = count;

    /// <summary>Sets a condition on every parent recorded so far (e.g. ResolvedRefs, which does not depend on the parent).</summary>
    public void SetAllParents(string type, bool status, string reason, string message)
    {
        foreach (var list in _parents.Values)
        {
            Upsert(list, new StatusCondition(type, status, reason, message));
        }
    }

    public ObjectStatus Build() => new(
        Object,
        generation,
        _conditions.ToEquatableArray(),
        _parents.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new ParentStatus(p.Key, p.Value.ToEquatableArray()) { AttachedRoutes = _attachedRoutes.TryGetValue(p.Key, out var count) ? count : null })
            .ToEquatableArray());

    private static void Upsert(List<StatusCondition> list, StatusCondition condition)
    {
        var index = list.FindIndex(c => c.Type == condition.Type);
        if (index < 0)
        {
            list.Add(condition);
        }
        else if (list[index].Status || !condition.Status)
        {
            // A failure is sticky: once false, a later success for the same type does not hide it.
            list[index] = condition;
        }
    }
}
