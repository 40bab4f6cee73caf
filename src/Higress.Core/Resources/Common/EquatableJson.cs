using System.Text.Json;
using System.Text.Json.Nodes;

namespace Higress.Core.Resources;

/// <summary>
/// Free-form JSON (a plugin's config, a loosely typed Istio sub-object) held as an immutable
/// <see cref="JsonElement"/> with structural equality: property order does not matter.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(EquatableJsonConverter))]
public sealed class EquatableJson : IEquatable<EquatableJson>
{
    private readonly int _hash;

    private EquatableJson(JsonElement element)
    {
        Element = element;
        _hash = Hash(element);
    }

    /// <summary>An empty JSON object.</summary>
    public static EquatableJson EmptyObject { get; } = Parse("{}");

    /// <summary>The JSON value; safe to read from many threads.</summary>
    public JsonElement Element { get; }

    /// <summary>True when the value is a JSON object.</summary>
    public bool IsObject => Element.ValueKind == JsonValueKind.Object;

    /// <summary>Parses JSON text.</summary>
    /// <param name="json">The JSON text.</param>
    public static EquatableJson Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new EquatableJson(document.RootElement.Clone());
    }

    /// <summary>Copies a JSON node (null becomes JSON null).</summary>
    /// <param name="node">The node to copy.</param>
    public static EquatableJson FromNode(JsonNode? node) => Parse(node?.ToJsonString() ?? "null");

    /// <summary>Copies an element.</summary>
    /// <param name="element">The element to copy.</param>
    public static EquatableJson FromElement(JsonElement element) => new(element.Clone());

    /// <summary>Serializes any value with System.Text.Json defaults and wraps the result.</summary>
    /// <param name="value">An object, dictionary or anonymous object.</param>
    public static EquatableJson FromObject(object? value) => new(JsonSerializer.SerializeToElement(value));

    /// <summary>A new, mutable copy of the value as a node.</summary>
    public JsonNode? ToJsonNode() => JsonNode.Parse(Element.GetRawText());

    /// <summary>The value as a fresh mutable <see cref="JsonObject"/>, or an empty object when it is not one.</summary>
    public JsonObject ToJsonObject() => ToJsonNode() as JsonObject ?? [];

    /// <inheritdoc />
    public bool Equals(EquatableJson? other) => other is not null && _hash == other._hash && JsonElement.DeepEquals(Element, other.Element);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EquatableJson);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The compact JSON text.</summary>
    public override string ToString() => Element.GetRawText();

    private static int Hash(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var objectHash = 17;
                foreach (var property in element.EnumerateObject())
                {
                    // XOR keeps the hash independent of property order, as DeepEquals is.
                    objectHash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(property.Name), Hash(property.Value));
                }

                return objectHash;
            case JsonValueKind.Array:
                var arrayHash = new HashCode();
                foreach (var item in element.EnumerateArray())
                {
                    arrayHash.Add(Hash(item));
                }

                return arrayHash.ToHashCode();
            case JsonValueKind.String:
                return StringComparer.Ordinal.GetHashCode(element.GetString()!);
            case JsonValueKind.Number:
                return element.TryGetDouble(out var number) ? number.GetHashCode() : 0;
            default:
                return (int)element.ValueKind;
        }
    }
}
