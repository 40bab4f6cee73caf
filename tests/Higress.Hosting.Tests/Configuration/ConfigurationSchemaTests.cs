using System.IO.Compression;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Higress.Hosting.Tests.Configuration;

/// <summary>The package ships ConfigurationSchema.json, and it names every host setting of <see cref="HigressOptions"/>.</summary>
public class ConfigurationSchemaTests
{
    private static readonly string Root = RepositoryRoot.Path;
    private static readonly string ProjectDir = Path.Combine(Root, "src", "Higress.Hosting");

    public static TheoryData<string> Settings()
    {
        var data = new TheoryData<string>();
        foreach (var key in Keys(typeof(HigressOptions), string.Empty))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void Every_host_setting_is_in_the_schema(string key)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(ProjectDir, "ConfigurationSchema.json")))!["properties"]!["Higress"];
        foreach (var part in key.Split(':'))
        {
            node = node?["properties"]?[part];
        }

        Assert.True(node?["description"] is not null, $"ConfigurationSchema.json has no described property Higress:{key}; add it under properties.Higress");
    }

    [Fact]
    public void The_package_carries_the_schema_and_the_targets_that_register_it()
    {
        var project = XDocument.Load(Path.Combine(ProjectDir, "Higress.Hosting.csproj"));
        var packed = project.Descendants("None").Where(n => (string?)n.Attribute("Pack") == "true").ToDictionary(n => (string)n.Attribute("Include")!, n => (string?)n.Attribute("PackagePath"));
        Assert.Equal("/", packed["ConfigurationSchema.json"]);
        Assert.Equal("buildTransitive/$(TargetFramework)/", packed["buildTransitive/Higress.Net.targets"]);

        var targets = XDocument.Load(Path.Combine(ProjectDir, "buildTransitive", "Higress.Net.targets"));
        var segment = Assert.Single(targets.Descendants("JsonSchemaSegment"));
        Assert.Equal("$(MSBuildThisFileDirectory)../../ConfigurationSchema.json", (string?)segment.Attribute("Include"));

        // When a pack has run (.ci/run packs before testing), check the package itself too.
        var package = new DirectoryInfo(Path.Combine(Root, "artifacts", "packages")) is { Exists: true } dir
            ? dir.GetFiles("Higress.Net.*.nupkg")
                .Where(f => f.Name.Length > "Higress.Net.".Length && char.IsAsciiDigit(f.Name["Higress.Net.".Length]) && !f.Name.EndsWith(".symbols.nupkg", StringComparison.Ordinal))
                .OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()
            : null;
        if (package is not null)
        {
            using var zip = ZipFile.OpenRead(package.FullName);
            var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("ConfigurationSchema.json", entries);
            Assert.Contains(entries, e => e.StartsWith("buildTransitive/", StringComparison.Ordinal) && e.EndsWith("/Higress.Net.targets", StringComparison.Ordinal));
        }
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = prefix + property.Name;
            var nested = property.PropertyType.IsClass && property.PropertyType != typeof(string) && property.PropertyType.Namespace == typeof(HigressOptions).Namespace;
            if (nested)
            {
                foreach (var inner in Keys(property.PropertyType, key + ":"))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return key;
            }
        }
    }
}
