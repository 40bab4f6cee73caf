using System.Text.Json;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources;

/// <summary>Writes a <see cref="ResourceKind"/> in Kubernetes' <c>Kind.group</c> notation (<c>HTTPRoute.gateway.networking.k8s.io</c>), as <c>/config_dump</c> shows it.</summary>
internal sealed class ResourceKindJsonConverter : JsonConverter<ResourceKind>
{
    public override ResourceKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? string.Empty;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new ResourceKind(string.Empty, text) : new ResourceKind(text[(dot + 1)..], text[..dot]);
    }

    public override void Write(Utf8JsonWriter writer, ResourceKind value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
