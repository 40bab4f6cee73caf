using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources.Parsing;

/// <summary>How a record's property names appear on the wire.</summary>
internal enum FieldNaming
{
    /// <summary><c>creationTimestamp</c>: Kubernetes, Gateway API and Istio objects.</summary>
    CamelCase,

    /// <summary><c>status_code</c>: Higress plugin configs.</summary>
    SnakeCase,
}

/// <summary>
/// The JSON fields of a model record: public init properties, camelCase (resources) or snake_case (plugin configs)
/// unless <see cref="JsonPropertyNameAttribute"/> says otherwise.
/// </summary>
internal sealed class TypeModel
{
    private static readonly ConcurrentDictionary<(Type, FieldNaming), TypeModel> Cache = new();

    private TypeModel(Type type, FieldNaming naming)
    {
        Fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => new FieldModel(p, naming))
            .ToDictionary(f => f.JsonName, StringComparer.Ordinal);
        Ignored = type.GetCustomAttribute<IgnoredFieldsAttribute>()?.Names.ToHashSet(StringComparer.Ordinal) ?? [];
    }

    public IReadOnlyDictionary<string, FieldModel> Fields { get; }

    public IReadOnlySet<string> Ignored { get; }

    public static TypeModel For(Type type, FieldNaming naming = FieldNaming.CamelCase) => Cache.GetOrAdd((type, naming), key => new TypeModel(key.Item1, key.Item2));

    public static string JsonNameOf(PropertyInfo property, FieldNaming naming = FieldNaming.CamelCase) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? (naming == FieldNaming.SnakeCase
            ? System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name)
            : char.ToLowerInvariant(property.Name[0]) + property.Name[1..]);

    /// <summary>
    /// Is <paramref name="type"/> a model record bound field by field (as opposed to a scalar or collection)? The
    /// resource model's types, and any record class with a parameterless constructor (plugin configs).
    /// </summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && !type.IsAbstract && type != typeof(string) && type != typeof(EquatableJson)
        && (type.Namespace?.StartsWith("Higress.Core.Resources", StringComparison.Ordinal) == true
            || (type.GetMethod("<Clone>$") is not null && type.GetConstructor(Type.EmptyTypes) is not null));
}

/// <summary>One bindable field.</summary>
internal sealed class FieldModel
{
    public FieldModel(PropertyInfo property, FieldNaming naming)
    {
        Property = property;
        JsonName = TypeModel.JsonNameOf(property, naming);

        // Plugin authors declare checks with the standard DataAnnotations attributes; the model uses its own.
        Required = property.GetCustomAttribute<RequiredAttribute>() is not null
            || property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RequiredAttribute>() is not null;
        Port = property.GetCustomAttribute<PortAttribute>() is not null;
        PortSelector = property.GetCustomAttribute<PortSelectorAttribute>() is not null;
        Regex = property.GetCustomAttribute<RegexPatternAttribute>() is not null;
        Hostname = property.GetCustomAttribute<HostnameAttribute>() is not null;
        Range = property.GetCustomAttribute<RangeAttribute>()
            ?? (property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>() is { } standard
                ? new RangeAttribute(System.Convert.ToDouble(standard.Minimum, System.Globalization.CultureInfo.InvariantCulture), System.Convert.ToDouble(standard.Maximum, System.Globalization.CultureInfo.InvariantCulture))
                : null);
        OneOf = property.GetCustomAttribute<OneOfAttribute>();
    }

    public PropertyInfo Property { get; }

    public string JsonName { get; }

    public bool Required { get; }

    public bool Port { get; }

    public bool PortSelector { get; }

    public bool Regex { get; }

    public bool Hostname { get; }

    public RangeAttribute? Range { get; }

    public OneOfAttribute? OneOf { get; }
}
