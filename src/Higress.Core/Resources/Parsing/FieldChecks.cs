using System.Globalization;
using Higress.Core.Routing;

namespace Higress.Core.Resources.Parsing;

/// <summary>The single-field checks declared by attributes on the records (required, port, range, one-of, regex).</summary>
internal static class FieldChecks
{
    public static void Check(FieldModel field, object? value, string path, BindContext context)
    {
        if (field.Required && (value is string { Length: 0 } || IsEmptyEquatable(value)))
        {
            context.Error(path, $"'{field.JsonName}' must not be empty", $"set a value for {path}");
        }

        if (field.Port && value is int port && port is < 1 or > 65535)
        {
            context.Error(path, $"{port} is not a valid port", "use a port between 1 and 65535");
        }

        if (field.Range is { } range && ToDouble(value) is { } number && (number < range.Min || number > range.Max))
        {
            var max = range.Max >= int.MaxValue ? string.Empty : $" and at most {range.Max.ToString(CultureInfo.InvariantCulture)}";
            context.Error(path, $"{number.ToString(CultureInfo.InvariantCulture)} is out of range", $"use a value of at least {range.Min.ToString(CultureInfo.InvariantCulture)}{max}");
        }

        if (field.OneOf is { } oneOf && value is int code && !oneOf.Values.Contains(code))
        {
            context.Error(path, $"{code} is not allowed", $"use one of: {string.Join(", ", oneOf.Values)}");
        }

        if (field.Hostname && value is string host)
        {
            CheckHostname(host, path, context);
        }

        if (field.Hostname && value is EquatableArray<string> hosts)
        {
            for (var i = 0; i < hosts.Count; i++)
            {
                CheckHostname(hosts[i], $"{path}[{i}]", context);
            }
        }

        if (field.Regex && value is string pattern && RegexCache.Validate(pattern) is { } problem)
        {
            context.Error(path, problem.Message, problem.Fix);
        }
    }

    private static void CheckHostname(string host, string path, BindContext context)
    {
        var name = HostnamePattern.IsWildcard(host) ? host[2..] : host;
        if (host == "*")
        {
            return;
        }

        var labels = name.Split('.');
        if (name.Length is 0 or > 253 || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-') || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            context.Error(path, $"'{host}' is not a valid hostname", "write a DNS name such as api.example.com, optionally with a leading '*.' wildcard; no ports or paths");
        }
    }

    internal static bool IsEmptyEquatable(object? value) =>
        value?.GetType() is { IsGenericType: true } t
        && (t.GetGenericTypeDefinition() == typeof(EquatableArray<>) || t.GetGenericTypeDefinition() == typeof(EquatableMap<>))
        && (bool)t.GetProperty("IsEmpty")!.GetValue(value)!;

    internal static double? ToDouble(object? value) => value switch
    {
        int i => i,
        long l => l,
        double d => d,
        _ => null,
    };
}
