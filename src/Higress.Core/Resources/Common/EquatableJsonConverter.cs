using System.Text.Json;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources;

/// <summary>Writes <see cref="EquatableJson"/> as the JSON it holds (for <c>/config_dump</c> and logs), and reads any JSON value.</summary>
internal sealed class EquatableJsonConverter : JsonConverter<EquatableJson>
{
    public override EquatableJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return EquatableJson.FromElement(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, EquatableJson value, JsonSerializerOptions options) => value.Element.WriteTo(writer);
}

/// <summary>Writes <see cref="IntOrString"/> as a number or a string.</summary>
internal sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? new IntOrString(reader.GetInt32(), null) : new IntOrString(null, reader.GetString());

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.Number is { } number)
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value.Name);
        }
    }
}
