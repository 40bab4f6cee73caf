using System.Text.Json.Nodes;
using Higress.Core.Tests.Resources;

namespace Higress.Kubernetes.Tests.Crds;

/// <summary>
/// Builds the apiextensions.k8s.io/v1 CRDs of the networking.higress.io kinds from the model: the definitions of the
/// shipped JSON schema (<see cref="ResourceSchemaGenerator"/>, which reads the records the parser binds) turned into
/// structural OpenAPI v3 schemas, with <see cref="CrdKind"/>'s names and printer columns.
/// </summary>
internal static class CrdGenerator
{
    public const string Header =
        "# Generated from the C# model (src/Higress.Core/Resources) by tests/Higress.Kubernetes.Tests (CrdManifestTests).\n" +
        "# Do not edit: after a model change run\n" +
        "#   HIGRESS_UPDATE_SCHEMA=1 dotnet test tests/Higress.Kubernetes.Tests -c Release --filter CrdManifestTests\n";

    private static readonly Lazy<JsonObject> Definitions = new(ResourceSchemaGenerator.Definitions);

    /// <summary>The CRD of <paramref name="kind"/>, as the YAML committed under deploy/crds.</summary>
    public static string Yaml(CrdKind kind) => Header + YamlWriter.Write(Crd(kind));

    public static JsonObject Crd(CrdKind kind)
    {
        var columns = new JsonArray();
        foreach (var column in kind.Columns)
        {
            var node = new JsonObject { ["name"] = column.Name, ["type"] = column.Type, ["jsonPath"] = column.JsonPath };
            if (column.Description is not null)
            {
                node["description"] = column.Description;
            }

            if (column.Priority != 0)
            {
                node["priority"] = column.Priority;
            }

            columns.Add(node);
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject
            {
                ["name"] = kind.Name,
                ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "higress-net" },
            },
            ["spec"] = new JsonObject
            {
                ["group"] = CrdKind.Group,
                ["names"] = new JsonObject
                {
                    ["kind"] = kind.Kind,
                    ["listKind"] = kind.Kind + "List",
                    ["plural"] = kind.Plural,
                    ["singular"] = kind.Singular,
                    ["shortNames"] = new JsonArray([.. kind.ShortNames.Select(n => (JsonNode)n)]),
                    ["categories"] = new JsonArray("higress"),
                },
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = CrdKind.Version,
                    ["served"] = true,
                    ["storage"] = true,
                    ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                    ["additionalPrinterColumns"] = columns,
                    ["schema"] = new JsonObject { ["openAPIV3Schema"] = Root(kind) },
                }),
            },
        };
    }

    private static JsonObject Root(CrdKind kind)
    {
        var model = Definitions.Value[ResourceSchemaGenerator.Prefix + kind.Model.Name]!.AsObject();
        var spec = Structural(model["properties"]!["spec"]!);
        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = model["description"]?.DeepClone(),
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = new JsonObject { ["type"] = "string" },
                ["kind"] = new JsonObject { ["type"] = "string" },
                ["metadata"] = new JsonObject { ["type"] = "object" },
                ["spec"] = spec,
                ["status"] = Status(kind),
            },
        };
    }

    /// <summary>
    /// JSON schema to structural schema: references inlined, every node typed, <c>additionalProperties: false</c>
    /// dropped (the API server prunes unknown fields and strict field validation reports them), int-or-string and
    /// free-form nodes marked as Kubernetes marks them.
    /// </summary>
    private static JsonObject Structural(JsonNode node)
    {
        var source = node.AsObject();
        if (source["$ref"] is { } reference)
        {
            var target = Structural(Definitions.Value[reference.GetValue<string>()["#/definitions/".Length..]]!);
            if (source["description"] is { } description)
            {
                target["description"] = description.DeepClone();
            }

            return target;
        }

        var result = new JsonObject();
        if (source["type"] is JsonArray)
        {
            // IntOrString: a number or a string (a port, a percentage).
            result["x-kubernetes-int-or-string"] = true;
        }
        else if (source["type"] is { } type)
        {
            result["type"] = type.DeepClone();
        }
        else if (source["enum"] is JsonArray values)
        {
            result["type"] = values.All(v => v!.GetValueKind() == System.Text.Json.JsonValueKind.String) ? "string" : "integer";
        }
        else
        {
            // Free-form (plugin config, loosely typed Istio fields) or a port given as a number or as {number: N}.
            result["x-kubernetes-preserve-unknown-fields"] = true;
        }

        foreach (var key in (string[])["description", "enum", "pattern", "minimum", "maximum", "required"])
        {
            if (source[key] is { } value)
            {
                result[key] = value.DeepClone();
            }
        }

        if (source["properties"] is JsonObject properties)
        {
            var converted = new JsonObject();
            foreach (var (name, property) in properties)
            {
                converted[name] = Structural(property!);
            }

            result["properties"] = converted;
        }

        if (source["additionalProperties"] is JsonObject map)
        {
            result["additionalProperties"] = Structural(map);
        }

        if (source["items"] is { } items)
        {
            result["items"] = Structural(items);
        }

        return result;
    }

    /// <summary>The status subresource: metav1.Condition conditions, as the Gateway API writes them.</summary>
    private static JsonObject Status(CrdKind kind)
    {
        var properties = new JsonObject
        {
            ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64", ["description"] = "The metadata.generation the status was written for." },
            ["conditions"] = Conditions(),
        };
        if (kind.Kind == "Gateway")
        {
            properties["listeners"] = new JsonObject
            {
                ["type"] = "array",
                ["description"] = "Per listener: its conditions and how many routes attach to it.",
                ["x-kubernetes-list-type"] = "map",
                ["x-kubernetes-list-map-keys"] = new JsonArray("name"),
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("name"),
                    ["properties"] = new JsonObject
                    {
                        ["name"] = new JsonObject { ["type"] = "string" },
                        ["attachedRoutes"] = new JsonObject { ["type"] = "integer", ["format"] = "int32" },
                        ["conditions"] = Conditions(),
                    },
                },
            };
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Written by the gateway through the status subresource; ignored when read.",
            ["properties"] = properties,
        };
    }

    private static JsonObject Conditions() => new()
    {
        ["type"] = "array",
        ["description"] = "Accepted, ResolvedRefs and Programmed, each with a reason and a message that names the fix.",
        ["x-kubernetes-list-type"] = "map",
        ["x-kubernetes-list-map-keys"] = new JsonArray("type"),
        ["maxItems"] = 8,
        ["items"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("type", "status", "lastTransitionTime", "reason", "message"),
            ["properties"] = new JsonObject
            {
                ["type"] = new JsonObject { ["type"] = "string", ["maxLength"] = 316 },
                ["status"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("True", "False", "Unknown") },
                ["observedGeneration"] = new JsonObject { ["type"] = "integer", ["format"] = "int64" },
                ["lastTransitionTime"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                ["reason"] = new JsonObject { ["type"] = "string", ["maxLength"] = 1024 },
                ["message"] = new JsonObject { ["type"] = "string", ["maxLength"] = 32768 },
            },
        },
    };
}
