using System.Text.Json.Nodes;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>The transformation operations, in Higress's names.</summary>
internal enum TransformOperation
{
    Remove,
    Rename,
    Replace,
    Add,
    Append,
    Map,
    Dedupe,
}

/// <summary>What a step transforms, and where <c>map</c> reads from.</summary>
internal enum TransformTarget
{
    Headers,
    Querys,
    Body,
}

/// <summary>dedupe's <c>strategy</c>.</summary>
internal enum DedupeStrategy
{
    RetainFirst,
    RetainLast,
    RetainUnique,
    SplitAndRetainFirst,
    SplitAndRetainLast,
}

/// <summary>One rule's operation over one target: the compiled form of <c>reqRules[i].headers</c> (or querys, body).</summary>
/// <param name="Operation">The operation.</param>
/// <param name="MapSource">Where map reads from.</param>
/// <param name="Items">The items, in the order written.</param>
internal sealed record TransformStep(TransformOperation Operation, TransformTarget MapSource, TransformItem[] Items);

/// <summary>
/// One compiled item. <see cref="Key"/> is key, oldKey or fromKey; <see cref="NewKey"/> is newKey or toKey;
/// <see cref="Value"/> is newValue, value or appendValue. Body items carry their keys as parsed JSON paths and, for a
/// value_type other than string, the value already converted.
/// </summary>
internal sealed class TransformItem
{
    public required string Key { get; init; }

    public string NewKey { get; init; } = string.Empty;

    public ValueTemplate? Value { get; init; }

    public DedupeStrategy Strategy { get; init; }

    public JsonPath? KeyPath { get; init; }

    public JsonPath? NewKeyPath { get; init; }

    /// <summary>For body items whose value_type is not string: the converted value (patterns only apply to strings, as in Higress).</summary>
    public JsonNode? TypedValue { get; init; }

    /// <summary>True when <see cref="TypedValue"/> holds the value (it may be a JSON null).</summary>
    public bool IsTyped { get; init; }

    /// <summary>The value for a JSON body: a fresh node per use (a node has one parent).</summary>
    public JsonNode? JsonValueFor(string host, string path) =>
        IsTyped ? TypedValue?.DeepClone() : JsonValue.Create(Value!.Apply(host, path));
}
