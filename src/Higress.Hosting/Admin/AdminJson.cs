using System.Text.Encodings.Web;
using System.Text.Json;

namespace Higress.Hosting.Admin;

/// <summary>
/// The shape the admin API's lists share (<c>/routes</c>, <c>/clusters</c>, <c>/stats</c>): one object holding the
/// plan's generation (when it has one) and a named array, streamed entry by entry so that a large plan is never held
/// as one document.
/// </summary>
internal static class AdminJson
{
    private const int FlushThreshold = 32 * 1024;

    public static async Task WriteListAsync<T>(Stream body, long? generation, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> write, CancellationToken cancellationToken)
    {
        // Read by operators and tools, never embedded in a page: keep <redacted>, '+' and '&' readable.
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        writer.WriteStartObject();
        if (generation is { } value)
        {
            writer.WriteNumber("generation", value);
        }

        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            writer.WriteStartObject();
            write(writer, item);
            writer.WriteEndObject();
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }
}
