using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Answers with a fixed status and body (Istio <c>HTTPDirectResponse</c>).</summary>
public sealed record HttpDirectResponse
{
    /// <summary>The status code, 200..599.</summary>
    [Required]
    [Range(200, 599)]
    public int Status { get; init; }

    /// <summary>The body.</summary>
    public HttpBody? Body { get; init; }
}

/// <summary>A response body.</summary>
public sealed record HttpBody
{
    /// <summary>The body as text (<c>body: {string: "..."}</c>).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("string")]
    public string? String { get; init; }

    /// <summary>The body as base64-encoded bytes.</summary>
    public string? Bytes { get; init; }
}
