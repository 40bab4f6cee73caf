namespace Higress.Core.Resources;

/// <summary>A Kubernetes int-or-string value, such as a Service's <c>targetPort</c> (a number or a port name).</summary>
/// <param name="Number">The number, when the value is numeric.</param>
/// <param name="Name">The name, when the value is a string.</param>
[System.Text.Json.Serialization.JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString(int? Number, string? Name)
{
    /// <summary>True when the value is numeric.</summary>
    public bool IsNumber => Number.HasValue;

    /// <summary>A numeric value.</summary>
    public static implicit operator IntOrString(int number) => new(number, null);

    /// <summary>A named value.</summary>
    public static implicit operator IntOrString(string name) => new(null, name);

    /// <inheritdoc />
    public override string ToString() => Number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Name ?? string.Empty;
}
