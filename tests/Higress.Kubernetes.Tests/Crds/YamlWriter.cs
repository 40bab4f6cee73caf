using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Higress.Kubernetes.Tests.Crds;

/// <summary>
/// Writes JSON as block-style YAML, the way Kubernetes manifests read: two-space indents, sequences under their key,
/// strings plain where YAML reads them back as the same string and JSON-quoted otherwise.
/// </summary>
internal static partial class YamlWriter
{
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "on", "off", "true", "false", "null",
    };

    public static string Write(JsonNode node)
    {
        var text = new StringBuilder();
        Block(text, node, 0);
        return text.ToString();
    }

    private static void Block(StringBuilder text, JsonNode node, int indent)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    text.Append(' ', indent).Append(Scalar(key)).Append(':');
                    Value(text, value, indent);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    text.Append(' ', indent).Append('-');
                    if (item is JsonObject { Count: > 0 } obj)
                    {
                        // The first key on the dash line, the rest aligned under it.
                        var inner = new StringBuilder();
                        Block(inner, obj, indent + 2);
                        text.Append(' ').Append(inner.ToString(indent + 2, inner.Length - indent - 2));
                    }
                    else
                    {
                        Value(text, item, indent);
                    }
                }

                break;
            default:
                throw new InvalidOperationException("A YAML document is an object or an array.");
        }
    }

    private static void Value(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } obj:
                text.Append('\n');
                Block(text, obj, indent + 2);
                break;
            case JsonArray { Count: > 0 } array:
                text.Append('\n');
                Block(text, array, indent);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Scalar(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    private static string Scalar(string value) =>
        Plain().IsMatch(value) && !Reserved.Contains(value) ? value : JsonSerializer.Serialize(value, Quoting);

    // Starts with a letter, holds no indicator that YAML would read (': ', ' #', quotes, brackets, commas).
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_./()=+-]*( [A-Za-z0-9_./()=+-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();
}
