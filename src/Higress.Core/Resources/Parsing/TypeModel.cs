using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Higress.Core.Resources.Parsing;

/// <summary>The JSON fields of a model record: public init properties, camelCase unless <see cref="JsonPropertyNameAttribute"/> says otherwise.</summary>
internal sealed class TypeModel
{
    private static readonly ConcurrentDictionary<Type, TypeModel> Cache = new();

    private TypeModel(Type type)
    {
        Fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => new FieldModel(p))
            .ToDictionary(f => f.JsonName, StringComparer.Ordinal);
        Ignored = type.GetCustomAttribute<IgnoredFieldsAttribute>()?.Names.ToHashSet(StringComparer.Ordinal) ?? [];
    }

    public IReadOnlyDictionary<string, FieldModel> Fields { get; }

    public IReadOnlySet<string> Ignored { get; }

    public static TypeModel For(Type type) => Cache.GetOrAdd(type, t => new TypeModel(t));

    public static string JsonNameOf(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    /// <summary>Is <paramref name="type"/> a model record bound field by field (as opposed to a scalar or collection)?</summary>
    public static bool IsRecord(Type type) =>
        type.IsClass && !type.IsAbstract && type != typeof(string) && type != typeof(EquatableJson) && type.Namespace?.StartsWith("Higress.Core.Resources", StringComparison.Ordinal) == true;
}

/// <summary>One bindable field.</summary>
internal sealed class FieldModel
{
    public FieldModel(PropertyInfo property)
    {
        Property = property;
        JsonName = TypeModel.JsonNameOf(property);
        Required = property.GetCustomAttribute<RequiredAttribute>() is not null;
        Port = property.GetCustomAttribute<PortAttribute>() is not null;
        PortSelector = property.GetCustomAttribute<PortSelectorAttribute>() is not null;
        Regex = property.GetCustomAttribute<RegexPatternAttribute>() is not null;
        Hostname = property.GetCustomAttribute<HostnameAttribute>() is not null;
        Range = property.GetCustomAttribute<RangeAttribute>();
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
