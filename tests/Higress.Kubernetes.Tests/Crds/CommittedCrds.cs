using System.Text.Json.Nodes;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Crds;

/// <summary>The CRDs as committed under deploy/crds: what a cluster would be given.</summary>
internal static class CommittedCrds
{
    private static readonly Lazy<IReadOnlyList<JsonObject>> Loaded = new(() =>
        [.. CrdKind.All.Select(k => Repository.Path("deploy", "crds", k.FileName)).Where(File.Exists)
            .SelectMany(f => Repository.Documents(File.ReadAllText(f), Repository.Relative(f)))]);

    public static IReadOnlyList<JsonObject> All => Loaded.Value;

    public static JsonObject ByKind(string kind) =>
        All.SingleOrDefault(c => c["spec"]?["names"]?["kind"]?.GetValue<string>() == kind)
        ?? throw new InvalidOperationException($"deploy/crds has no CRD of kind {kind}; generate it (see CrdManifestTests)");

    public static JsonObject Schema(CrdKind kind) => Schema(kind.Kind);

    public static JsonObject Schema(string kind) => ByKind(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
}
