using System.Text.Json;
using System.Text.Json.Nodes;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources;

/// <summary>
/// The shipped ConfigurationSchema.json (IntelliSense for appsettings) describes exactly what the parser reads. Its
/// resource definitions are generated: after a model change run
/// <c>HIGRESS_UPDATE_SCHEMA=1 dotnet test tests/Higress.Core.Tests --filter ConfigurationSchemaTests</c>.
/// </summary>
public class ConfigurationSchemaTests
{
    private static readonly string SchemaPath = FindSchema();

    [Fact]
    public void Resource_definitions_are_generated_from_the_model()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();
        var generated = ResourceSchemaGenerator.Definitions();
        if (JsonNode.DeepEquals(schema["definitions"], generated))
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("HIGRESS_UPDATE_SCHEMA") == "1")
        {
            schema["definitions"] = generated;
            File.WriteAllText(SchemaPath, schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }

        Assert.Fail($"{SchemaPath}: the definitions differ from the model; regenerate them with HIGRESS_UPDATE_SCHEMA=1 dotnet test tests/Higress.Core.Tests --filter ConfigurationSchemaTests");
    }

    [Fact]
    public void The_shorthand_fields_are_the_ones_the_expander_reads()
    {
        var higress = JsonNode.Parse(File.ReadAllText(SchemaPath))!["properties"]!["Higress"]!["properties"]!;

        Assert.Equal(ShorthandExpander.BackendFields.Order(), Fields(higress["Backends"]!["additionalProperties"]!).Order());
        Assert.Equal(ShorthandExpander.RouteFields.Order(), Fields(higress["Routes"]!["additionalProperties"]!).Order());
    }

    [Fact]
    public void Every_reference_resolves()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaPath))!;
        var definitions = schema["definitions"]!.AsObject();

        var refs = Descendants(schema).OfType<JsonObject>().Select(o => o["$ref"]?.GetValue<string>()).OfType<string>().Distinct().ToList();

        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.True(r.StartsWith("#/definitions/", StringComparison.Ordinal) && definitions.ContainsKey(r["#/definitions/".Length..]), r));
    }

    private static IEnumerable<string> Fields(JsonNode node) => node["properties"]!.AsObject().Select(p => p.Key);

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>().SelectMany(Descendants))
        {
            yield return child;
        }
    }

    private static string FindSchema()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Higress.Hosting", "ConfigurationSchema.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("src/Higress.Hosting/ConfigurationSchema.json not found above " + AppContext.BaseDirectory);
    }
}
