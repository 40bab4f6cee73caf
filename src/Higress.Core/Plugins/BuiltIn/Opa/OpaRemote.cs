using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Higress.Opa.Values;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// Asks a remote OPA: <c>POST /v1/data/{policy}</c> with <c>{"input": ...}</c> over the pooled keep-alive connections of
/// the host's <see cref="IHttpClientFactory"/>. A response without <c>result</c> is an undefined decision; a status
/// other than 200, a body that is not JSON, the <c>timeout</c> and a refused connection are errors.
/// </summary>
internal static class OpaRemote
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>The decision's value, or null when it is undefined. Throws <see cref="OpaDecisionException"/> on errors.</summary>
    public static async ValueTask<RegoValue?> QueryAsync(HttpClient client, Uri uri, RegoObject input, TimeSpan timeout, CancellationToken aborted)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("input");
            RegoConvert.WriteJson(input, writer);
            writer.WriteEndObject();
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timer.CancelAfter(timeout);
        try
        {
            using var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
            content.Headers.ContentType = Json;
            using var response = await client.PostAsync(uri, content, timer.Token).ConfigureAwait(false);
            if (response.StatusCode != System.Net.HttpStatusCode.OK)
            {
                throw new OpaDecisionException("remote_status", $"OPA at {uri} answered {(int)response.StatusCode}");
            }

            var body = await response.Content.ReadAsByteArrayAsync(timer.Token).ConfigureAwait(false);
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new OpaDecisionException("remote_body", $"OPA at {uri} answered a body that is not a JSON object");
            }

            return document.RootElement.TryGetProperty("result", out var result) ? RegoConvert.FromJson(result) : null;
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            throw new OpaDecisionException("timeout", $"OPA at {uri} did not answer within {timeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            throw new OpaDecisionException("remote_unreachable", $"OPA at {uri} cannot be reached: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw new OpaDecisionException("remote_body", $"OPA at {uri} answered a body that is not JSON: {ex.Message}");
        }
    }
}
