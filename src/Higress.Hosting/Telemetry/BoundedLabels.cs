using System.Collections.Concurrent;

namespace Higress.Hosting.Telemetry;

/// <summary>
/// Keeps a metric label's distinct values under a cap: the first <c>max</c> values seen are kept, later ones become
/// <c>other</c>. A label fed by requests (consumers) cannot then grow the number of series without bound.
/// </summary>
internal sealed class BoundedLabels(int max)
{
    /// <summary>The value every label beyond the cap takes.</summary>
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);

    /// <summary>The label for <paramref name="value"/>: itself while under the cap or already seen, else <see cref="Other"/>; empty for null.</summary>
    public string Get(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (_seen.TryGetValue(value, out var label))
        {
            return label;
        }

        // Racing adds may pass the cap by a few; the count stays bounded by the cap plus the number of threads.
        return _seen.Count < max ? _seen.GetOrAdd(value, value) : Other;
    }
}
