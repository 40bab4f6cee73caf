using System.Text;
using System.Text.RegularExpressions;
using Higress.Core.Routing;

namespace Higress.Core.Plugins.BuiltIn.RequestBlock;

/// <summary>What request-block precomputes from its config once per instance: compiled patterns and encoded body strings.</summary>
internal sealed class RequestBlockState
{
    public RequestBlockState(RequestBlockConfig config)
    {
        Comparison = config.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        UrlPatterns = new Regex[config.BlockRegexpUrls.Count];
        for (var i = 0; i < UrlPatterns.Length; i++)
        {
            UrlPatterns[i] = RegexCache.Get(Unanchored(config.BlockRegexpUrls[i]), ignoreCase: !config.CaseSensitive);

            // A timed-out match blocks (fails closed); one match now builds the engine's first states and JITs its
            // code while the plan is applied, so that a cold first request does not run into the timeout.
            _ = RegexCache.IsFullMatch(UrlPatterns[i], "/warm-up?x=1");
        }

        BodyBytes = new byte[config.BlockBodies.Count][];
        for (var i = 0; i < BodyBytes.Length; i++)
        {
            BodyBytes[i] = Encoding.UTF8.GetBytes(config.BlockBodies[i]);
        }

        foreach (var header in config.BlockHeaders)
        {
            HeaderSpansLines |= header.Contains('\n', StringComparison.Ordinal);
        }
    }

    /// <summary>How strings compare (<c>case_sensitive</c>).</summary>
    public StringComparison Comparison { get; }

    /// <summary><c>block_regexp_urls</c>, compiled to find a match anywhere in the value.</summary>
    public Regex[] UrlPatterns { get; }

    /// <summary><c>block_bodies</c> as UTF-8, for the case-sensitive search of the body's bytes.</summary>
    public byte[][] BodyBytes { get; }

    /// <summary>
    /// True when a <c>block_headers</c> string holds a line break: it may span a header's name and value (Higress
    /// matches against <c>name\nvalue</c> lines), so the joined text must be built.
    /// </summary>
    public bool HeaderSpansLines { get; }

    /// <summary>
    /// Higress searches with Go's <c>MatchString</c> (a match anywhere); <see cref="RegexCache"/> matches whole values,
    /// so the pattern is wrapped to allow anything around it.
    /// </summary>
    public static string Unanchored(string pattern) => $"(?s:.*)(?:{pattern})(?s:.*)";
}
