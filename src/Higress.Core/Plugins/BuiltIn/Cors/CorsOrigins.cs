using System.Text.RegularExpressions;

namespace Higress.Core.Plugins.BuiltIn.Cors;

/// <summary>Turns the origin fields of a <c>cors</c> config into what the engine matches, reporting bad entries.</summary>
internal static partial class CorsOrigins
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks <c>allow_origins</c> entries: <c>*</c> or <c>scheme://host[:port]</c>.</summary>
    /// <param name="origins">The configured values.</param>
    /// <param name="context">Collects errors.</param>
    /// <returns>The origins without a trailing slash.</returns>
    public static List<string> Exact(IReadOnlyList<string> origins, PluginConfigContext context)
    {
        var result = new List<string>(origins.Count);
        for (var i = 0; i < origins.Count; i++)
        {
            var origin = origins[i].Trim().TrimEnd('/');
            if (origin == "*")
            {
                result.Add(origin);
            }
            else if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery == "/" && origin.Contains("://", StringComparison.Ordinal))
            {
                result.Add(origin);
            }
            else
            {
                context.AddError($"allow_origins[{i}]", $"'{origins[i]}' is not an origin", "write scheme://host[:port], e.g. https://app.example.com:8443, or '*'; put wildcards in allow_origin_patterns");
            }
        }

        return result;
    }

    /// <summary>
    /// Compiles <c>allow_origin_patterns</c> as Higress does (<c>*</c> matches any text, a trailing <c>:[8080,9090]</c>
    /// lists ports, <c>:[*]</c> allows any port or none), but anchored: a pattern matches the whole origin.
    /// </summary>
    /// <param name="patterns">The configured patterns.</param>
    /// <param name="origins">Receives <c>*</c> when a pattern is the single <c>*</c>.</param>
    /// <param name="context">Collects errors.</param>
    /// <returns>The compiled patterns.</returns>
    public static List<Regex> Patterns(IReadOnlyList<string> patterns, List<string> origins, PluginConfigContext context)
    {
        var result = new List<Regex>(patterns.Count);
        for (var i = 0; i < patterns.Count; i++)
        {
            var pattern = patterns[i].Trim().TrimEnd('/').ToLowerInvariant();
            if (pattern.Length == 0)
            {
                context.AddError($"allow_origin_patterns[{i}]", "is empty", "remove the entry, or write a pattern such as http://*.example.com");
                continue;
            }

            if (pattern == "*")
            {
                origins.Add("*");
                continue;
            }

            var ports = string.Empty;
            if (PortList().Match(pattern) is { Success: true } match)
            {
                pattern = match.Groups[1].Value;
                ports = match.Groups[2].Value == "*" ? @"(:\d+)?" : $":({match.Groups[2].Value.Replace(',', '|')})";
            }

            result.Add(new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + ports + "$", Options, MatchTimeout));
        }

        return result;
    }

    /// <summary>Compiles <c>allow_origin_regex</c>: .NET expressions that must match the whole origin, case-insensitively.</summary>
    /// <param name="expressions">The configured expressions.</param>
    /// <param name="matchers">Receives the compiled expressions.</param>
    /// <param name="context">Collects errors.</param>
    public static void Expressions(IReadOnlyList<string> expressions, List<Regex> matchers, PluginConfigContext context)
    {
        for (var i = 0; i < expressions.Count; i++)
        {
            try
            {
                matchers.Add(new Regex("^(?:" + expressions[i] + ")$", Options, MatchTimeout));
            }
            catch (ArgumentException ex)
            {
                context.AddError($"allow_origin_regex[{i}]", $"'{expressions[i]}' does not compile: {ex.Message}", "write a .NET regular expression, e.g. https://[a-z]+\\.example\\.com");
            }
        }
    }

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"^(.*):\[(\*|\d+(,\d+)*)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex PortList();
}
