using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>Multi-valued keys the kv operations work on: headers, query parameters or form fields.</summary>
internal interface IKvStore
{
    bool TryGet(string key, out StringValues values);

    /// <summary>Sets the values; none removes the key.</summary>
    void Set(string key, StringValues values);

    void Remove(string key);
}

/// <summary>Request or response headers in place (case-insensitive names, as Higress lowercases them).</summary>
internal sealed class HeaderKvStore(IHeaderDictionary headers) : IKvStore
{
    public bool TryGet(string key, out StringValues values) => headers.TryGetValue(key, out values) && values.Count > 0;

    public void Set(string key, StringValues values) => headers[key] = values;

    public void Remove(string key) => headers.Remove(key);
}

/// <summary>
/// Query parameters or form fields (case-sensitive names, as in Higress). Written back with the keys sorted and
/// encoded as Go's <c>url.Values.Encode</c> does, so that what the upstream receives matches Higress.
/// </summary>
internal sealed class KvStore : IKvStore
{
    private readonly Dictionary<string, StringValues> _values = new(StringComparer.Ordinal);

    public bool TryGet(string key, out StringValues values) => _values.TryGetValue(key, out values) && values.Count > 0;

    public void Set(string key, StringValues values)
    {
        if (values.Count == 0)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = values;
        }
    }

    public void Remove(string key) => _values.Remove(key);

    public IEnumerable<KeyValuePair<string, string>> Pairs()
    {
        var keys = new List<string>(_values.Keys);
        keys.Sort(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            foreach (var value in _values[key])
            {
                yield return new KeyValuePair<string, string>(key, value ?? string.Empty);
            }
        }
    }

    /// <summary>Parses <c>a=1&amp;b=2</c> (a leading <c>?</c> is skipped; <c>+</c> is a space).</summary>
    public static KvStore ParseUrlEncoded(string text)
    {
        var store = new KvStore();
        var span = text.AsSpan();
        if (span.StartsWith("?"))
        {
            span = span[1..];
        }

        foreach (var range in span.Split('&'))
        {
            var pair = span[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            store._values[key] = store._values.TryGetValue(key, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }

        return store;
    }

    /// <summary>Writes the pairs as <c>a=1&amp;b=2</c>, sorted by key.</summary>
    public string ToUrlEncoded()
    {
        var builder = new StringBuilder();
        foreach (var (key, value) in Pairs())
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Encode(key)).Append('=').Append(Encode(value));
        }

        return builder.ToString();
    }

    private static string Decode(ReadOnlySpan<char> text) => Uri.UnescapeDataString(text.ToString().Replace('+', ' '));

    private static string Encode(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);
}
