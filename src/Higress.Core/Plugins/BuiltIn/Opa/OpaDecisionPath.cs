using System.Text;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// A decision path (<c>envoy/authz/allow</c>) as the Rego query that reads it (<c>data.envoy.authz.allow</c>) and as the
/// path under OPA's <c>/v1/data/</c> (escaped).
/// </summary>
internal readonly record struct OpaDecisionPath(string Query, string UrlPath)
{
    /// <summary>
    /// Reads <c>envoy/authz/allow</c>, <c>/envoy/authz/allow</c> or <c>data.envoy.authz.allow</c>; null when a segment is
    /// empty.
    /// </summary>
    public static OpaDecisionPath? Parse(string policy)
    {
        var text = policy.Trim();
        string[] segments;
        if (text.StartsWith("data.", StringComparison.Ordinal) || text == "data")
        {
            segments = text.Split('.')[1..];
        }
        else
        {
            segments = text.Trim('/').Split('/');
        }

        if (segments.Length == 0 || segments.Any(string.IsNullOrWhiteSpace))
        {
            return null;
        }

        var query = new StringBuilder("data");
        foreach (var segment in segments)
        {
            if (IsIdentifier(segment))
            {
                query.Append('.').Append(segment);
            }
            else
            {
                query.Append("[\"").Append(segment.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"]");
            }
        }

        return new OpaDecisionPath(query.ToString(), string.Join('/', segments.Select(Uri.EscapeDataString)));
    }

    private static bool IsIdentifier(string segment) =>
        (char.IsAsciiLetter(segment[0]) || segment[0] == '_') && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
