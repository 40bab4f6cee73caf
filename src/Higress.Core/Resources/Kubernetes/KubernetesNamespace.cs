using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Kubernetes Namespace (cluster-scoped); only its labels matter, for <c>allowedRoutes</c> selectors.</summary>
[IgnoredFields("spec")]
public sealed record KubernetesNamespace() : Resource(ResourceKinds.Namespace, ResourceKinds.CoreV1, namespaced: false);
