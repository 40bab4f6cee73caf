using System.Text.Json.Nodes;
using Higress.Core.Resources.Parsing;

namespace Higress.Kubernetes.Tests.Infrastructure;

/// <summary>The checkout the tests run from: its folders, and the YAML manifests in them.</summary>
internal static class Repository
{
    public static readonly string Root = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>Every YAML file under <paramref name="folder"/> (relative to the root), build output and Helm templates excepted.</summary>
    public static IEnumerable<string> YamlFiles(string folder) =>
        Directory.EnumerateFiles(Path(folder), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Where(f => !Relative(f).Split('/').Any(part => part is "bin" or "obj" or "templates"))
            .Order(StringComparer.Ordinal);

    public static string Relative(string path) => System.IO.Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>The documents of a YAML file (or of YAML text), read with the gateway's own YAML reader.</summary>
    public static IReadOnlyList<JsonObject> Documents(string yaml, string where)
    {
        var documents = new List<JsonObject>();
        foreach (var document in YamlDocuments.Parse(yaml))
        {
            Assert.True(document.Error is null, $"{where}: {document.Error}");
            if (document.Json is JsonObject obj)
            {
                documents.Add(obj);
            }
        }

        return documents;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Higress.Net.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Higress.Net.sln not found above " + AppContext.BaseDirectory);
    }
}
