using Higress.Core.Translation;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Admin;

/// <summary>
/// The <c>/config_dump</c> query: <c>?kind=</c>, <c>?namespace=</c>, <c>?name=</c> (exact, case-insensitive) keep the
/// entries that belong to matching objects; <c>?errors=true</c> keeps only objects and diagnostics with errors.
/// </summary>
internal sealed record ConfigDumpFilter(string? Kind, string? Namespace, string? Name, bool ErrorsOnly)
{
    public static ConfigDumpFilter None { get; } = new(null, null, null, false);

    /// <summary>True when the filter names a kind, namespace or name.</summary>
    public bool NamesObjects => Kind is not null || Namespace is not null || Name is not null;

    public static ConfigDumpFilter From(IQueryCollection query) => new(
        Value(query, "kind"),
        Value(query, "namespace"),
        Value(query, "name"),
        string.Equals(Value(query, "errors"), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether an object written as <c>Kind namespace/name</c> (or <c>Kind name</c>) passes kind, namespace and name.</summary>
    public bool Matches(string display)
    {
        if (!NamesObjects)
        {
            return true;
        }

        var space = display.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            // Not an object (e.g. a file that could not be read): it belongs to no kind, namespace or name.
            return false;
        }

        var rest = display[(space + 1)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return Same(Kind, display[..space])
            && Same(Namespace, slash < 0 ? string.Empty : rest[..slash])
            && Same(Name, slash < 0 ? rest : rest[(slash + 1)..]);
    }

    /// <summary>True when a status carries a failed condition (not accepted, unresolved, not programmed, conflicted).</summary>
    public static bool HasError(ObjectStatus status) =>
        status.Conditions.Any(IsError) || status.Parents.Any(p => p.Conditions.Any(IsError));

    private static bool IsError(StatusCondition condition) => condition.Type == "Conflicted" ? condition.Status : !condition.Status;

    private static bool Same(string? wanted, string actual) => wanted is null || string.Equals(wanted, actual, StringComparison.OrdinalIgnoreCase);

    private static string? Value(IQueryCollection query, string key) => query.TryGetValue(key, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}
