using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.CustomResponse;

/// <summary>The <c>custom-response</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record CustomResponseConfig
{
    /// <summary><c>status_code</c>: the status of the custom response.</summary>
    [Range(100, 599)]
    public int StatusCode { get; init; } = 200;

    /// <summary><c>headers</c>: <c>key=value</c> strings, split at the first <c>=</c>.</summary>
    public EquatableArray<string> Headers { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>body</c>: the body, or null for none.</summary>
    public string? Body { get; init; }

    /// <summary><c>enable_on_status</c>: answer only when the original response has one of these statuses; empty answers every request.</summary>
    public EquatableArray<int> EnableOnStatus { get; init; } = EquatableArray<int>.Empty;

    /// <summary><c>rules</c>: Higress's multi-rule form, recognised only to say it is not supported yet.</summary>
    public EquatableJson? Rules { get; init; }

    /// <summary>The headers, parsed from <see cref="Headers"/>.</summary>
    [JsonIgnore]
    public EquatableArray<HeaderValue> ParsedHeaders { get; init; } = EquatableArray<HeaderValue>.Empty;

    /// <summary>The content type to add when <see cref="Headers"/> sets none and there is a body.</summary>
    [JsonIgnore]
    public string? DefaultContentType { get; init; }
}
