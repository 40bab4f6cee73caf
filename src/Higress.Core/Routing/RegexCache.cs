using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Higress.Core.Routing;

/// <summary>
/// The one place that compiles, validates and runs user-supplied regular expressions (route paths, header and query
/// matches, gRPC method matches, plugin configs), so that what the configuration reader accepts is exactly what the
/// router runs.
/// </summary>
/// <remarks>
/// Patterns use .NET syntax on the non-backtracking engine: matching is linear in the input, as with Envoy's RE2,
/// so a pattern such as <c>(a+)+$</c> cannot make a crafted request burn CPU. The engine refuses constructs that
/// need backtracking (backreferences, lookarounds, atomic groups, conditionals, balancing groups, <c>\G</c>); those
/// are configuration errors. A pattern matches the whole value, as Envoy's <c>safe_regex</c> and the Gateway API do.
/// </remarks>
internal static partial class RegexCache
{
    /// <summary>The name of the counter of matches that ran out of time.</summary>
    public const string TimeoutsCounterName = Diagnostics.MetricNames.RegexMatchTimeouts;

    /// <summary>
    /// The longest a single match may run before it counts as no match. Linear time bounds a match by the input, but
    /// the engine builds its automaton lazily: the first matches of a pattern whose automaton explodes (such as
    /// <c>.*a.{30}b</c>) can take seconds on a header of a few kilobytes, so the bound stays. It is a wall-clock
    /// bound: 100 ms was too tight on a loaded machine, where a match that costs microseconds but was descheduled
    /// mid-way, or a first match building the automaton, timed out and turned a matching rule into a miss.
    /// </summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // Weak, so that a pattern removed from the configuration frees its automaton; shared, so that a reload (or the
    // reader's validation followed by the router) reuses one compiled instance and the states it has already built.
    private static readonly ConcurrentDictionary<(string Pattern, bool IgnoreCase), WeakReference<Regex>> Compiled = new();
    private static long _timeouts;

    private static int _sweepAt = 256;

    /// <summary>Matches that timed out in this process so far; reported by <see cref="Diagnostics.HigressMeter"/>.</summary>
    public static long TimeoutCount() => Interlocked.Read(ref _timeouts);

    /// <summary>Compiles <paramref name="pattern"/> to match whole values, or returns the cached instance.</summary>
    /// <exception cref="ArgumentException">The pattern does not parse.</exception>
    /// <exception cref="NotSupportedException">The pattern needs backtracking or is too large for the engine.</exception>
    public static Regex Get(string pattern, bool ignoreCase)
    {
        var key = (pattern, ignoreCase);
        if (Compiled.TryGetValue(key, out var weak) && weak.TryGetTarget(out var cached))
        {
            return cached;
        }

        var options = ignoreCase ? Options | RegexOptions.IgnoreCase : Options;

        // \A and \z rather than ^ and $: '$' also matches before a final newline, which a full match must not accept.
        var regex = new Regex($@"\A(?:{pattern})\z", options, MatchTimeout);
        Compiled[key] = new WeakReference<Regex>(regex);
        if (Compiled.Count >= Volatile.Read(ref _sweepAt))
        {
            Sweep();
        }

        return regex;
    }

    /// <summary>Returns null when the pattern can be used, else what is wrong with it and how to fix it.</summary>
    public static (string Message, string Fix)? Validate(string pattern)
    {
        // RE2 (Envoy, Istio) knows POSIX classes; .NET accepts '[[:alpha:]]' without error but does not match letters
        // with it, so a pattern ported from Envoy would silently match something else.
        if (PosixClass().Match(pattern) is { Success: true } posix)
        {
            return ($"'{pattern}' uses the POSIX class '{posix.Value}', which .NET regular expressions accept but do not treat as a class",
                "write a .NET class instead, such as \\p{L} or [a-zA-Z] for [:alpha:], \\d or [0-9] for [:digit:], \\s for [:space:]");
        }

        try
        {
            // Case-insensitivity only widens character sets: it adds neither unsupported constructs nor states.
            _ = Get(pattern, ignoreCase: false);
            return null;
        }
        catch (RegexParseException ex)
        {
            return (ParseMessage(ex), $"fix the regular expression '{pattern}'");
        }
        catch (NotSupportedException ex)
        {
            return Unsupported(pattern, ex);
        }
        catch (ArgumentException ex)
        {
            return (ex.Message, $"fix the regular expression '{pattern}'");
        }
    }

    /// <summary>Matches, treating a timeout as no match and counting it.</summary>
    public static bool IsFullMatch(Regex regex, string value) => IsFullMatch(regex, value, onTimeout: false);

    /// <summary>
    /// Matches, counting a timeout and answering <paramref name="onTimeout"/> for it: a pattern that refuses requests
    /// (request-block) passes true, so that a slow match fails closed.
    /// </summary>
    public static bool IsFullMatch(Regex regex, string value, bool onTimeout)
    {
        try
        {
            return regex.IsMatch(value);
        }
        catch (RegexMatchTimeoutException)
        {
            Interlocked.Increment(ref _timeouts);
            return onTimeout;
        }
    }

    private static string ParseMessage(RegexParseException ex)
    {
        // Offsets are shifted by the "\A(?:" that Get puts in front of the user's pattern.
        var offset = Math.Max(0, ex.Offset - 5);
        return ex.Error switch
        {
            RegexParseError.InsufficientClosingParentheses => "'(' is unclosed",
            RegexParseError.InsufficientOpeningParentheses => "')' has no matching '('",
            RegexParseError.UnterminatedBracket => "'[' is unclosed",
            RegexParseError.QuantifierAfterNothing => $"a quantifier at offset {offset} follows nothing",
            RegexParseError.NestedQuantifiersNotParenthesized => $"nested quantifiers at offset {offset}",
            RegexParseError.UnescapedEndingBackslash => "the pattern ends with an unescaped '\\'",
            _ => $"invalid regular expression at offset {offset}: {ex.Error}",
        };
    }

    private static (string Message, string Fix) Unsupported(string pattern, NotSupportedException ex)
    {
        // .NET names the construct in quotes ("... containing: 'backreference (\ number)'."); its other refusal is
        // about size: counted repetitions multiply the automaton.
        var text = ex.Message;
        var start = text.IndexOf(": '", StringComparison.Ordinal);
        var end = text.LastIndexOf('\'');
        return start >= 0 && end > start + 3
            ? ($"'{pattern}' uses {text[(start + 3)..end]}, which the linear-time regex engine does not support",
                "rewrite it without backreferences, lookarounds, atomic groups, conditionals, balancing groups or \\G, "
                + "which need backtracking (see Regular expressions in docs/routing.md)")
            : ($"'{pattern}' is too large for the linear-time regex engine: {text}",
                "use smaller repetition counts: nested {n} repetitions multiply the pattern's size");
    }

    [GeneratedRegex(@"\[:(alnum|alpha|ascii|blank|cntrl|digit|graph|lower|print|punct|space|upper|word|xdigit):\]", RegexOptions.CultureInvariant)]
    private static partial Regex PosixClass();

    private static void Sweep()
    {
        foreach (var entry in Compiled)
        {
            if (!entry.Value.TryGetTarget(out _))
            {
                Compiled.TryRemove(entry);
            }
        }

        Volatile.Write(ref _sweepAt, Math.Max(256, Compiled.Count * 2));
    }
}
