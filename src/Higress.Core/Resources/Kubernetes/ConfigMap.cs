namespace Higress.Core.Resources;

/// <summary>A Kubernetes ConfigMap; read for CA bundles (key <c>ca.crt</c>): a listener's <c>tls.frontendValidation</c> and BackendTLSPolicy.</summary>
public sealed record ConfigMap() : Resource(ResourceKinds.ConfigMap, ResourceKinds.CoreV1)
{
    /// <summary>Values as plain text.</summary>
    public EquatableMap<string> Data { get; init; }

    /// <summary>Values, base64-encoded as in Kubernetes.</summary>
    public EquatableMap<string> BinaryData { get; init; }

    /// <summary>Immutable (informational).</summary>
    public bool? Immutable { get; init; }

    /// <summary>The value of <paramref name="key"/> as text (from <see cref="Data"/>, else decoded from <see cref="BinaryData"/>), or null.</summary>
    /// <param name="key">The key, e.g. <c>ca.crt</c>.</param>
    public string? GetString(string key) =>
        Data.TryGetValue(key, out var text) ? text
        : BinaryData.TryGetValue(key, out var base64) ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64))
        : null;
}
