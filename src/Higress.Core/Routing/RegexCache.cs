using System.Text.RegularExpressions;

namespace Higress.Core.Routing;

/// <summary>
/// Builds the regular expressions used by matches. Patterns match the whole value (as Envoy's safe_regex does),
/// use .NET syntax, and carry a match timeout so that a pathological pattern cannot stall a request thread.
/// </summary>
public static class RegexCache
{
    /// <summary>The longest a single match may run before it counts as "no match".</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Compiles <paramref name="pattern"/> anchored at both ends.</summary>
    /// <exception cref="ArgumentException">The pattern does not compile.</exception>
    public static Regex Compile(string pattern, bool ignoreCase)
    {
        var options = RegexOptions.CultureInvariant | RegexOptions.Compiled;
        if (ignoreCase)
        {
            options |= RegexOptions.IgnoreCase;
        }

        return new Regex($"^(?:{pattern})$", options, MatchTimeout);
    }

    /// <summary>Returns null when the pattern compiles, else the parser's message.</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            _ = new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, MatchTimeout);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>Matches, treating a timeout as no match.</summary>
    public static bool IsFullMatch(Regex regex, string value)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
