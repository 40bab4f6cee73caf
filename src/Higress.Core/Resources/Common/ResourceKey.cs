namespace Higress.Core.Resources;

/// <summary>Identifies one object: its kind and group, namespace (empty for cluster-scoped kinds) and name.</summary>
/// <param name="Kind">The kind and group.</param>
/// <param name="Namespace">The namespace; empty for <c>GatewayClass</c> and <c>Namespace</c>.</param>
/// <param name="Name">The name.</param>
public readonly record struct ResourceKey(ResourceKind Kind, string Namespace, string Name)
{
    /// <summary><c>Kind ns/name</c>, or <c>Kind name</c> for cluster-scoped objects.</summary>
    public override string ToString() => Namespace.Length == 0 ? $"{Kind.Kind} {Name}" : $"{Kind.Kind} {Namespace}/{Name}";
}
