using System.Text;

namespace Higress.Core.Resources;

/// <summary>A Kubernetes Secret. <see cref="object.ToString"/> never prints values; use <see cref="Redacted"/> to log or dump one.</summary>
public sealed record Secret() : Resource(ResourceKinds.Secret, ResourceKinds.CoreV1)
{
    /// <summary>The text printed instead of a value.</summary>
    public const string RedactedValue = "<redacted>";

    /// <summary>The type, e.g. <c>Opaque</c> (default), <c>kubernetes.io/tls</c>.</summary>
    public string Type { get; init; } = "Opaque";

    /// <summary>Values, base64-encoded as in Kubernetes.</summary>
    public EquatableMap<string> Data { get; init; }

    /// <summary>Values as plain text; a key here wins over the same key in <see cref="Data"/>.</summary>
    public EquatableMap<string> StringData { get; init; }

    /// <summary>Immutable (informational).</summary>
    public bool? Immutable { get; init; }

    /// <summary>The keys present in <see cref="Data"/> or <see cref="StringData"/>.</summary>
    public IEnumerable<string> Keys => StringData.Keys.Union(Data.Keys, StringComparer.Ordinal);

    /// <summary>The value of <paramref name="key"/> as bytes.</summary>
    /// <param name="key">The key, e.g. <c>tls.crt</c>.</param>
    /// <param name="value">The bytes.</param>
    public bool TryGetBytes(string key, out byte[] value)
    {
        if (StringData.TryGetValue(key, out var text))
        {
            value = Encoding.UTF8.GetBytes(text);
            return true;
        }

        if (Data.TryGetValue(key, out var base64))
        {
            value = Convert.FromBase64String(base64);
            return true;
        }

        value = [];
        return false;
    }

    /// <summary>The value of <paramref name="key"/> as UTF-8 text, or null.</summary>
    /// <param name="key">The key.</param>
    public string? GetString(string key) => TryGetBytes(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>A copy whose values are all replaced by <see cref="RedactedValue"/>.</summary>
    public Secret Redacted() => this with
    {
        Data = new(Data.Select(e => KeyValuePair.Create(e.Key, RedactedValue))),
        StringData = new(StringData.Select(e => KeyValuePair.Create(e.Key, RedactedValue))),
    };

    /// <summary>Prints metadata, type and keys only.</summary>
    /// <param name="builder">The target.</param>
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Metadata = ").Append(Metadata).Append(", Type = ").Append(Type)
            .Append(", Keys = [").Append(string.Join(", ", Keys)).Append("] (values redacted)");
        return true;
    }
}
