using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>The <c>transformer</c> config, with Higress's field names (camelCase here, as Higress writes them).</summary>
internal sealed record TransformerConfig
{
    /// <summary>
    /// <c>reroute</c>: Higress re-selects the route after the request is transformed (its default, true). Not
    /// enforced: the route is selected once, before plugins run; an explicit <c>true</c> is reported as a warning.
    /// </summary>
    public bool? Reroute { get; init; }

    /// <summary><c>reqRules</c>: the request's transformations, run in the order written.</summary>
    [JsonPropertyName("reqRules")]
    public EquatableArray<TransformRule> ReqRules { get; init; } = EquatableArray<TransformRule>.Empty;

    /// <summary><c>respRules</c>: the response's transformations, run in the order written.</summary>
    [JsonPropertyName("respRules")]
    public EquatableArray<TransformRule> RespRules { get; init; } = EquatableArray<TransformRule>.Empty;
}

/// <summary>One item of <c>reqRules</c> / <c>respRules</c>: one operation over headers, query parameters and body.</summary>
internal sealed record TransformRule
{
    /// <summary><c>operate</c>: remove | rename | replace | add | append | map | dedupe.</summary>
    [Required]
    public string Operate { get; init; } = string.Empty;

    /// <summary><c>mapSource</c>: where <c>map</c> reads from (headers | querys | body); the transformed object itself when absent.</summary>
    [JsonPropertyName("mapSource")]
    public string? MapSource { get; init; }

    /// <summary><c>headers</c>: the operation's items over headers.</summary>
    public EquatableArray<TransformParam> Headers { get; init; } = EquatableArray<TransformParam>.Empty;

    /// <summary><c>querys</c>: the operation's items over query parameters (requests only).</summary>
    public EquatableArray<TransformParam> Querys { get; init; } = EquatableArray<TransformParam>.Empty;

    /// <summary><c>body</c>: the operation's items over the body (JSON paths, or form fields).</summary>
    public EquatableArray<TransformParam> Body { get; init; } = EquatableArray<TransformParam>.Empty;
}

/// <summary>One item of <c>headers</c> / <c>querys</c> / <c>body</c>; which fields apply depends on the operation.</summary>
internal sealed record TransformParam
{
    /// <summary><c>key</c>: the target of remove, replace, add, append and dedupe.</summary>
    public string? Key { get; init; }

    /// <summary><c>oldKey</c>: what rename renames.</summary>
    [JsonPropertyName("oldKey")]
    public string? OldKey { get; init; }

    /// <summary><c>newKey</c>: the name rename gives.</summary>
    [JsonPropertyName("newKey")]
    public string? NewKey { get; init; }

    /// <summary><c>newValue</c>: replace's value.</summary>
    [JsonPropertyName("newValue")]
    public string? NewValue { get; init; }

    /// <summary><c>value</c>: add's value.</summary>
    public string? Value { get; init; }

    /// <summary><c>appendValue</c>: append's value.</summary>
    [JsonPropertyName("appendValue")]
    public string? AppendValue { get; init; }

    /// <summary><c>fromKey</c>: where map reads, in <c>mapSource</c>.</summary>
    [JsonPropertyName("fromKey")]
    public string? FromKey { get; init; }

    /// <summary><c>toKey</c>: where map writes.</summary>
    [JsonPropertyName("toKey")]
    public string? ToKey { get; init; }

    /// <summary><c>strategy</c>: dedupe's strategy (RETAIN_FIRST by default).</summary>
    public string? Strategy { get; init; }

    /// <summary><c>value_type</c>: for JSON bodies, the type of the value (object | boolean | number | string).</summary>
    public string? ValueType { get; init; }

    /// <summary><c>host_pattern</c>: a regex over the request's host; its groups fill <c>$1</c> in the value.</summary>
    public string? HostPattern { get; init; }

    /// <summary><c>path_pattern</c>: a regex over the request's path and query; its groups fill <c>$1</c> in the value.</summary>
    public string? PathPattern { get; init; }
}
