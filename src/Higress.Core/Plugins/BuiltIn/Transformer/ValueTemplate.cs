using System.Text;
using System.Text.RegularExpressions;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>
/// A configured value, optionally filled from the request's host (<c>host_pattern</c>) or path (<c>path_pattern</c>):
/// when the pattern matches, every match in the host or path is replaced by the value read as a template
/// (<c>$1</c>, <c>${name}</c>, <c>$$</c>), as Go's <c>Regexp.ReplaceAllString</c> does; otherwise the value is used as written.
/// </summary>
internal sealed class ValueTemplate
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Regex? _pattern;
    private readonly bool _onHost;
    private readonly string _replacement;

    private ValueTemplate(string value, Regex? pattern, bool onHost, string replacement)
    {
        Value = value;
        _pattern = pattern;
        _onHost = onHost;
        _replacement = replacement;
    }

    /// <summary>The value as configured.</summary>
    public string Value { get; }

    /// <summary>True when the value depends on the request.</summary>
    public bool IsPattern => _pattern is not null;

    public static ValueTemplate Literal(string value) => new(value, null, false, value);

    /// <summary>Compiles <paramref name="pattern"/> (host or path); null with <paramref name="error"/> when it does not compile.</summary>
    public static ValueTemplate? Create(string value, string pattern, bool onHost, out string? error)
    {
        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return null;
        }

        error = null;
        return new ValueTemplate(value, regex, onHost, ToDotNetReplacement(value, regex));
    }

    public string Apply(string host, string path)
    {
        if (_pattern is null)
        {
            return Value;
        }

        var input = _onHost ? host : path;
        try
        {
            return _pattern.IsMatch(input) ? _pattern.Replace(input, _replacement) : Value;
        }
        catch (RegexMatchTimeoutException)
        {
            return Value;
        }
    }

    // Go's template differs from .NET's: "$1x" names group "1x", an unknown group expands to nothing. Higress's README
    // writes "\$1" (escaped for its site); it means "$1". Translate once, to ${name} references .NET reads the same way.
    private static string ToDotNetReplacement(string template, Regex regex)
    {
        var names = new HashSet<string>(regex.GetGroupNames(), StringComparer.Ordinal);
        var result = new StringBuilder(template.Length + 8);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '\\' && i + 1 < template.Length && template[i + 1] == '$')
            {
                continue;
            }

            if (c != '$')
            {
                result.Append(c);
                continue;
            }

            if (i + 1 < template.Length && template[i + 1] == '$')
            {
                result.Append("$$");
                i++;
                continue;
            }

            string? name = null;
            var end = i + 1;
            if (end < template.Length && template[end] == '{')
            {
                var close = template.IndexOf('}', end);
                if (close > end + 1)
                {
                    name = template[(end + 1)..close];
                    end = close + 1;
                }
            }
            else
            {
                while (end < template.Length && (char.IsAsciiLetterOrDigit(template[end]) || template[end] == '_'))
                {
                    end++;
                }

                name = end > i + 1 ? template[(i + 1)..end] : null;
            }

            if (name is null)
            {
                result.Append("$$");
                continue;
            }

            if (names.Contains(name))
            {
                result.Append("${").Append(name).Append('}');
            }

            i = end - 1;
        }

        return result.ToString();
    }
}
