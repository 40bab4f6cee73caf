using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Xml.Linq;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources;

/// <summary>
/// Builds the JSON schema definitions of the resource kinds from the model the parser binds (TypeModel), with the
/// model's XML docs as descriptions, so the shipped ConfigurationSchema.json cannot drift from what the parser reads.
/// </summary>
internal static class ResourceSchemaGenerator
{
    public const string Prefix = "Higress.";
    public const string ResourceDefinition = Prefix + "Resource";

    private static readonly Lazy<Dictionary<string, string>> Docs = new(LoadDocs);

    public static JsonObject Definitions()
    {
        var definitions = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var queue = new Queue<Type>(ResourceTypes.All.Append(typeof(ResourceMetadata)));
        while (queue.TryDequeue(out var type))
        {
            if (definitions.ContainsKey(Prefix + type.Name))
            {
                continue;
            }

            definitions[Prefix + type.Name] = Record(type, queue);
        }

        definitions[ResourceDefinition] = Resource();
        definitions[Prefix + "Duration"] = new JsonObject
        {
            ["type"] = "string",
            ["pattern"] = @"^(0|([0-9]+(\.[0-9]*)?(h|m|s|ms|us|ns))+)$",
            ["description"] = "A duration: number+unit pairs, units h, m, s, ms, us, ns, e.g. 100ms, 2s, 1m30s, 24h.",
        };
        definitions[Prefix + "Port"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 65535 };
        var result = new JsonObject();
        foreach (var (name, schema) in definitions)
        {
            result[name] = schema;
        }

        return result;
    }

    private static JsonObject Resource()
    {
        var entries = ResourceTypes.Entries.OrderBy(e => e.Kind.Group, StringComparer.Ordinal).ThenBy(e => e.Kind.Kind, StringComparer.Ordinal).ToList();
        var apiVersions = entries.SelectMany(e => e.Versions.Select(v => e.Kind.Group.Length == 0 ? v : $"{e.Kind.Group}/{v}")).Distinct().Order(StringComparer.Ordinal);
        var kinds = entries.Select(e => e.Kind.Kind).Distinct().Order(StringComparer.Ordinal);
        var cases = new JsonArray();
        foreach (var (kind, type, versions) in entries)
        {
            cases.Add(new JsonObject
            {
                ["if"] = new JsonObject
                {
                    ["required"] = new JsonArray("apiVersion", "kind"),
                    ["properties"] = new JsonObject
                    {
                        ["apiVersion"] = Enum(versions.Select(v => kind.Group.Length == 0 ? v : $"{kind.Group}/{v}")),
                        ["kind"] = new JsonObject { ["const"] = kind.Kind },
                    },
                },
                ["then"] = new JsonObject { ["$ref"] = Ref(type) },
            });
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "An object in Kubernetes shape (apiVersion, kind, metadata, spec), as in a ConfigDir file. See docs/configuration.md.",
            ["required"] = new JsonArray("apiVersion", "kind", "metadata"),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = Enum(apiVersions),
                ["kind"] = Enum(kinds),
                ["metadata"] = new JsonObject { ["$ref"] = Ref(typeof(ResourceMetadata)) },
            },
            ["allOf"] = cases,
        };
    }

    private static JsonObject Record(Type type, Queue<Type> queue)
    {
        var model = TypeModel.For(type);
        var properties = new JsonObject();
        var resource = typeof(Resource).IsAssignableFrom(type);
        if (resource)
        {
            properties["apiVersion"] = new JsonObject { ["type"] = "string" };
            properties["kind"] = new JsonObject { ["type"] = "string" };
            properties["status"] = new JsonObject { ["description"] = "Written by the gateway; ignored when read." };
        }

        foreach (var (name, field) in model.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var schema = Field(field.Property.PropertyType, queue);
            if (field.Port)
            {
                schema["minimum"] = 1;
                schema["maximum"] = 65535;
            }

            if (field.Range is { } range)
            {
                schema["minimum"] = range.Min;
                schema["maximum"] = range.Max;
            }

            if (field.OneOf is { } oneOf)
            {
                schema["enum"] = new JsonArray([.. oneOf.Values.Select(v => (JsonNode)v)]);
            }

            if (field.PortSelector)
            {
                schema = new JsonObject { ["oneOf"] = new JsonArray(schema, new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["number"] = schema.DeepClone() } }) };
            }

            if (Docs.Value.TryGetValue($"P:{field.Property.DeclaringType!.FullName}.{field.Property.Name}", out var doc))
            {
                schema["description"] = doc;
            }

            properties[name] = schema;
        }

        foreach (var ignored in model.Ignored.Order(StringComparer.Ordinal))
        {
            properties[ignored] = new JsonObject { ["description"] = "Accepted and ignored." };
        }

        var result = new JsonObject { ["type"] = "object" };
        if (Docs.Value.TryGetValue("T:" + type.FullName, out var summary))
        {
            result["description"] = summary;
        }

        var required = model.Fields.Where(f => f.Value.Required).Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        if (required.Count > 0)
        {
            result["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]);
        }

        result["properties"] = properties;
        result["additionalProperties"] = false;
        return result;
    }

    private static JsonObject Field(Type type, Queue<Type> queue)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string) || target == typeof(DateTimeOffset))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (target == typeof(int) || target == typeof(long))
        {
            return new JsonObject { ["type"] = "integer" };
        }

        if (target == typeof(double))
        {
            return new JsonObject { ["type"] = "number" };
        }

        if (target == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (target == typeof(TimeSpan))
        {
            return new JsonObject { ["$ref"] = "#/definitions/" + Prefix + "Duration" };
        }

        if (target.IsEnum)
        {
            return Enum(target.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name));
        }

        if (target == typeof(IntOrString))
        {
            return new JsonObject { ["type"] = new JsonArray("integer", "string") };
        }

        if (target == typeof(EquatableJson))
        {
            return [];
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(EquatableArray<>))
        {
            return new JsonObject { ["type"] = "array", ["items"] = Field(target.GetGenericArguments()[0], queue) };
        }

        if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(EquatableMap<>))
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Field(target.GetGenericArguments()[0], queue) };
        }

        if (TypeModel.IsRecord(target))
        {
            queue.Enqueue(target);
            return new JsonObject { ["$ref"] = Ref(target) };
        }

        throw new InvalidOperationException($"The schema generator does not know {target}; teach ResourceSchemaGenerator.Field, as JsonBinder.BindValue was taught.");
    }

    private static string Ref(Type type) => "#/definitions/" + Prefix + type.Name;

    private static JsonObject Enum(IEnumerable<string> values) => new() { ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };

    private static Dictionary<string, string> LoadDocs()
    {
        var path = Path.ChangeExtension(typeof(Resource).Assembly.Location, ".xml");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The model's XML docs are missing; build Higress.Core with GenerateDocumentationFile.", path);
        }

        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Text(m.Element("summary")!), StringComparer.Ordinal);
    }

    private static string Text(XElement summary)
    {
        var parts = summary.Nodes().Select(n => n switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "see" } see => ((string?)see.Attribute("cref"))?.Split('.')[^1] ?? (string?)see.Attribute("langword") ?? see.Value,
            XElement element => element.Value,
            _ => string.Empty,
        });
        return string.Join(' ', string.Concat(parts).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }
}
