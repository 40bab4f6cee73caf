using System.Text.RegularExpressions;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources;

/// <summary>docs/configuration.md must describe every record and field of the model, so the two cannot drift.</summary>
public class ConfigurationDocsTests
{
    /// <summary>The text of docs/configuration.md.</summary>
    internal static readonly string Docs = File.ReadAllText(FindDocs());

    public static TheoryData<string> ModelTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in Reachable().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Every_field_is_documented(string typeName)
    {
        var type = Reachable().Single(t => t.Name == typeName);
        var section = Section(typeName);
        Assert.True(section is not null, $"docs/configuration.md has no '### {typeName}' section");

        var documented = Regex.Matches(section!, @"^\| `([^`]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var fields = TypeModel.For(type).Fields.Keys.Where(f => !(typeof(Resource).IsAssignableFrom(type) && f == "metadata")).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(fields.Except(documented).Order(StringComparer.Ordinal));
        Assert.Empty(documented.Except(fields).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_kind_is_documented()
    {
        foreach (var type in ResourceTypes.All)
        {
            Assert.Contains($"### {type.Name}\n", Docs, StringComparison.Ordinal);
        }

        Assert.Contains("### ResourceMetadata\n", Docs, StringComparison.Ordinal);
    }

    /// <summary>The <c>### typeName</c> section of the docs, or null.</summary>
    internal static string? Section(string typeName)
    {
        var start = Docs.IndexOf($"### {typeName}\n", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = Docs.IndexOf("\n#", start + 4, StringComparison.Ordinal);
        return end < 0 ? Docs[start..] : Docs[start..end];
    }

    private static HashSet<Type> Reachable()
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(ResourceTypes.All.Append(typeof(ResourceMetadata)));
        while (queue.TryDequeue(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            foreach (var field in TypeModel.For(type).Fields.Values)
            {
                foreach (var inner in Unwrap(field.Property.PropertyType).Where(TypeModel.IsRecord))
                {
                    queue.Enqueue(inner);
                }
            }
        }

        return seen;
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap) : [type];
    }

    private static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "configuration.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/configuration.md not found above " + AppContext.BaseDirectory);
    }
}
