using System.Text.Json.Serialization;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A Higress WasmPlugin (<c>extensions.higress.io/v1alpha1</c>), served by the built-in plugin named after the image.</summary>
public sealed record WasmPlugin() : Resource(ResourceKinds.WasmPlugin, ResourceKinds.HigressExtensionsV1Alpha1)
{
    /// <summary>The plugin image, default config and match rules.</summary>
    public WasmPluginSpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="WasmPlugin"/>.</summary>
[IgnoredFields("imagePullPolicy", "imagePullSecret", "sha256", "verificationKey", "vmConfig", "pluginConfig")]
public sealed record WasmPluginSpec
{
    /// <summary>The plugin image, e.g. <c>oci://higress-registry.cn-hangzhou.cr.aliyuncs.com/plugins/key-auth:1.0.0</c>.</summary>
    [Required]
    public string Url { get; init; } = string.Empty;

    /// <summary>Overrides the plugin name derived from <see cref="Url"/>.</summary>
    public string? PluginName { get; init; }

    /// <summary>AUTHN | AUTHZ | STATS | UNSPECIFIED_PHASE (default).</summary>
    public PluginPhase Phase { get; init; } = PluginPhase.Unspecified;

    /// <summary>Order inside a phase: higher runs first.</summary>
    public int Priority { get; init; }

    /// <summary>The config for requests no match rule selects.</summary>
    public EquatableJson? DefaultConfig { get; init; }

    /// <summary>Disable the plugin for requests no match rule selects.</summary>
    public bool DefaultConfigDisable { get; init; }

    /// <summary>Per ingress / domain / service config.</summary>
    public EquatableArray<WasmPluginMatchRule> MatchRules { get; init; }

    /// <summary>FAIL_CLOSE (default) | FAIL_OPEN.</summary>
    public FailStrategy FailStrategy { get; init; } = FailStrategy.FailClose;

    /// <summary>
    /// The built-in plugin to run: <see cref="PluginName"/>, else the image name of <see cref="Url"/> without registry,
    /// tag or digest (<c>oci://r.io/plugins/key-auth:1.0.0</c> → <c>key-auth</c>).
    /// </summary>
    [JsonIgnore]
    public string EffectivePluginName => !string.IsNullOrEmpty(PluginName) ? PluginName : PluginNameFromUrl(Url);

    /// <summary>The image name of a plugin URL: the last path segment without <c>:tag</c>, <c>@digest</c> or <c>.wasm</c>.</summary>
    /// <param name="url">An <c>oci://</c>, <c>http(s)://</c> or <c>file://</c> URL.</param>
    public static string PluginNameFromUrl(string url)
    {
        var name = url;
        var scheme = name.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            name = name[(scheme + 3)..];
        }

        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            name = name[..at];
        }

        name = name.TrimEnd('/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            name = name[..colon];
        }

        return name.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
    }
}

/// <summary>A WasmPlugin match rule: a config for some ingresses, domains or services.</summary>
public sealed record WasmPluginMatchRule
{
    /// <summary>Routes/ingresses (<c>namespace/name</c>).</summary>
    public EquatableArray<string> Ingress { get; init; }

    /// <summary>Domains (wildcards allowed).</summary>
    public EquatableArray<string> Domain { get; init; }

    /// <summary>Backend services (<c>name.namespace.svc.cluster.local</c> etc.).</summary>
    public EquatableArray<string> Service { get; init; }

    /// <summary>The config for matching requests.</summary>
    public EquatableJson? Config { get; init; }

    /// <summary>Disable the plugin for matching requests.</summary>
    public bool ConfigDisable { get; init; }
}
