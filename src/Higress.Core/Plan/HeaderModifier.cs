using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>Header edits: set (replace), add (append) and remove, applied in that order.</summary>
/// <param name="Set">Headers to overwrite.</param>
/// <param name="Add">Headers to append to.</param>
/// <param name="Remove">Header names to remove.</param>
public sealed record HeaderModifier(EquatableArray<HeaderValue> Set, EquatableArray<HeaderValue> Add, EquatableArray<string> Remove)
{
    /// <summary>No edits.</summary>
    public static HeaderModifier None { get; } = new(EquatableArray<HeaderValue>.Empty, EquatableArray<HeaderValue>.Empty, EquatableArray<string>.Empty);

    /// <summary>True when there is nothing to do.</summary>
    public bool IsEmpty => Set.IsEmpty && Add.IsEmpty && Remove.IsEmpty;

    /// <summary>Combines two modifiers: this one's edits first, then <paramref name="other"/>'s.</summary>
    public HeaderModifier Then(HeaderModifier other) => other.IsEmpty ? this : IsEmpty ? other :
        new(Set.Concat(other.Set).ToEquatableArray(), Add.Concat(other.Add).ToEquatableArray(), Remove.Concat(other.Remove).ToEquatableArray());
}
