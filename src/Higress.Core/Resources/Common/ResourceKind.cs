using System.Text.Json.Serialization;

namespace Higress.Core.Resources;

/// <summary>A kind and its API group, without version: <c>HTTPRoute</c> v1 and v1beta1 are one kind.</summary>
/// <param name="Group">The API group; empty for the Kubernetes core group (<c>v1</c>).</param>
/// <param name="Kind">The kind, e.g. <c>Route</c>.</param>
[JsonConverter(typeof(ResourceKindJsonConverter))]
public readonly record struct ResourceKind(string Group, string Kind)
{
    /// <summary>Kubernetes' <c>Kind.group</c> notation (just <c>Kind</c> for the core group).</summary>
    public override string ToString() => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}
