namespace Higress.Core.Resources.Parsing;

/// <summary>The field must be present (and, for strings and arrays, not empty).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RequiredAttribute : Attribute;

/// <summary>The number must be a TCP/UDP port, 1..65535.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class PortAttribute : Attribute;

/// <summary>The string must compile as a .NET regular expression.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RegexPatternAttribute : Attribute;

/// <summary>The number must lie in [Min, Max].</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class RangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;
}

/// <summary>The number must be one of these values (e.g. redirect status codes).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class OneOfAttribute(params int[] values) : Attribute
{
    public IReadOnlyList<int> Values { get; } = values;
}

/// <summary>The port may also be written as Istio's <c>{number: 80}</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class PortSelectorAttribute : Attribute;

/// <summary>Fields this type accepts without binding and without an unknown-field warning.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class IgnoredFieldsAttribute(params string[] names) : Attribute
{
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>The string (or each string of the list) must be a hostname, optionally with a leading <c>*.</c> wildcard, or <c>*</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HostnameAttribute : Attribute;
