using System.Text.RegularExpressions;
using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>A compiled header or query-parameter condition.</summary>
internal sealed class ValueMatcher
{
    private readonly ValueMatchKind _kind;
    private readonly string _value;
    private readonly Regex? _regex;

    public ValueMatcher(NamedValueMatch match, bool ignoreCase)
    {
        Name = match.Name;
        _kind = match.Kind;
        _value = match.Value;
        if (_kind == ValueMatchKind.Regex)
        {
            _regex = RegexCache.Get(match.Value, ignoreCase);
        }
    }

    public string Name { get; }

    public bool Matches(bool present, string? value)
    {
        if (!present)
        {
            return false;
        }

        value ??= string.Empty;
        return _kind switch
        {
            ValueMatchKind.Exact => string.Equals(value, _value, StringComparison.Ordinal),
            ValueMatchKind.Prefix => value.StartsWith(_value, StringComparison.Ordinal),
            ValueMatchKind.Regex => RegexCache.IsFullMatch(_regex!, value),
            _ => true,
        };
    }
}
