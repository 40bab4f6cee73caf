using System.Text.RegularExpressions;
using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// Decides whether a request goes to a rule's canary, with ingress-nginx's canary semantics (which Higress's
/// <c>canary-*</c> annotations follow): the header first, then the cookie, then the weight. <c>never</c> in the header
/// or the cookie keeps the request on the rule's own backends; a value that is neither leaves the decision to the next.
/// </summary>
internal sealed class CanaryPicker
{
    private const string Always = "always";
    private const string Never = "never";

    private readonly CanaryPlan _plan;
    private readonly Regex? _pattern;

    public CanaryPicker(CanaryPlan plan)
    {
        _plan = plan;
        Backends = new BackendPicker(plan.Backends);
        if (plan.HeaderPattern is { } pattern)
        {
            _pattern = RegexCache.Get(pattern, ignoreCase: false);
        }
    }

    /// <summary>The weighted choice among the canary's backends.</summary>
    public BackendPicker Backends { get; }

    /// <summary>True when <paramref name="request"/> goes to the canary.</summary>
    public bool Chooses<TRequest>(in TRequest request, Random random)
        where TRequest : IRouteRequest
    {
        if (_plan.Header is { } header && request.TryGetHeader(header, out var value))
        {
            if (_plan.HeaderValue is { } expected)
            {
                if (string.Equals(value, expected, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (_pattern is not null)
            {
                if (RegexCache.IsFullMatch(_pattern, value))
                {
                    return true;
                }
            }
            else if (Verdict(value) is { } verdict)
            {
                return verdict;
            }
        }

        if (_plan.Cookie is { } cookie && request.TryGetHeader("Cookie", out var cookies) && Verdict(CookieValue(cookies, cookie)) is { } byCookie)
        {
            return byCookie;
        }

        return _plan.Weight > 0 && (_plan.Weight >= _plan.WeightTotal || random.Next(_plan.WeightTotal) < _plan.Weight);
    }

    private static bool? Verdict(ReadOnlySpan<char> value) =>
        value.SequenceEqual(Always) ? true : value.SequenceEqual(Never) ? false : null;

    // Reads one cookie without allocating: `a=1; b=2` (HTTP/2 may send several Cookie fields, joined by a comma).
    internal static ReadOnlySpan<char> CookieValue(string header, string name)
    {
        var rest = header.AsSpan();
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOfAny(';', ',');
            var pair = (end < 0 ? rest : rest[..end]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
            var equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].TrimEnd().SequenceEqual(name))
            {
                return pair[(equals + 1)..].Trim().Trim('"');
            }
        }

        return [];
    }
}
