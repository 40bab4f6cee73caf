using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// Cross-namespace references: an object may refer to one in another namespace only when a ReferenceGrant in the
/// target's namespace allows the referring kind from the referring namespace.
/// </summary>
internal sealed class ReferenceGrants
{
    private readonly ILookup<string, ReferenceGrant> _byNamespace;

    public ReferenceGrants(ResourceSnapshot snapshot) => _byNamespace = snapshot.OfType<ReferenceGrant>().ToLookup(g => g.Namespace, StringComparer.Ordinal);

    /// <summary>True when <paramref name="from"/> may refer to the <paramref name="toKind"/> <paramref name="toNamespace"/>/<paramref name="toName"/>.</summary>
    public bool Permits(Resource from, string toGroup, string toKind, string toNamespace, string toName)
    {
        if (string.Equals(toNamespace, from.Namespace, StringComparison.Ordinal))
        {
            return true;
        }

        var group = from.ResourceKind.Group;
        return _byNamespace[toNamespace].Any(g =>
            g.Spec.From.Any(f => f.Group == group && f.Kind == from.Kind && f.Namespace == from.Namespace)
            && g.Spec.To.Any(t => t.Group == toGroup && t.Kind == toKind && (t.Name is null || t.Name == toName)));
    }
}
