using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Higress.Core.Resources;
using Higress.Opa;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// The <c>opa</c> config. The remote fields keep Higress's camelCase names (<c>serviceSource</c>, <c>serviceName</c>,
/// ...); the embedded policy sources and the rest are snake_case, as the other built-ins.
/// </summary>
internal sealed record OpaConfig
{
    /// <summary><c>policy</c>: the decision path, <c>envoy/authz/allow</c> (or <c>data.envoy.authz.allow</c>).</summary>
    public string Policy { get; init; } = string.Empty;

    /// <summary><c>timeout</c>: the budget of one decision (evaluation, or the call to a remote OPA).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>serviceSource</c>: where the remote OPA is (<c>k8s</c>, <c>nacos</c>, <c>ip</c>, <c>dns</c>, <c>route</c>).</summary>
    [JsonPropertyName("serviceSource")]
    public string? ServiceSource { get; init; }

    /// <summary><c>host</c>: the remote OPA's address (<c>ip</c>, <c>route</c>).</summary>
    public string? Host { get; init; }

    /// <summary><c>serviceName</c>: the remote OPA's service (<c>k8s</c>, <c>nacos</c>, <c>dns</c>).</summary>
    [JsonPropertyName("serviceName")]
    public string? ServiceName { get; init; }

    /// <summary><c>servicePort</c>: the remote OPA's port.</summary>
    [JsonPropertyName("servicePort")]
    [Range(0, 65535)]
    public int ServicePort { get; init; }

    /// <summary><c>namespace</c>: the remote OPA service's namespace (<c>k8s</c>, <c>nacos</c>).</summary>
    public string? Namespace { get; init; }

    /// <summary><c>rego</c>: one module's text.</summary>
    public string? Rego { get; init; }

    /// <summary><c>modules</c>: module name to text.</summary>
    public EquatableMap<string>? Modules { get; init; }

    /// <summary><c>data</c>: the base data document (an object).</summary>
    public EquatableJson? Data { get; init; }

    /// <summary><c>bundle</c>: an OPA bundle, a file path or an <c>http(s)</c> URL (polled with <c>ETag</c>).</summary>
    public string? Bundle { get; init; }

    /// <summary><c>bundle_polling_interval</c>: how often a bundle URL is polled.</summary>
    public TimeSpan BundlePollingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>directory</c>: a directory of <c>*.rego</c> and <c>data.json</c>/<c>data.yaml</c> files, watched.</summary>
    public string? Directory { get; init; }

    /// <summary><c>with_body</c>: include the request body in the input (up to <see cref="MaxBodyBytes"/>).</summary>
    public bool WithBody { get; init; }

    /// <summary><c>max_body_bytes</c>: the most body bytes put in the input; a longer body is cut (<c>truncated_body</c>).</summary>
    [Range(0, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; init; } = 8192;

    /// <summary><c>status_on_error</c>: the status when a decision fails and the fail strategy is FAIL_CLOSE.</summary>
    [Range(100, 599)]
    public int StatusOnError { get; init; } = 403;

    /// <summary><c>decision_logs</c>: what the per-decision log event carries.</summary>
    public OpaDecisionLogConfig DecisionLogs { get; init; } = new();

    /// <summary>The decision path, derived from <see cref="Policy"/>.</summary>
    [JsonIgnore]
    public OpaDecisionPath Path { get; init; }

    /// <summary>True when a remote OPA decides.</summary>
    [JsonIgnore]
    public bool IsRemote { get; init; }

    /// <summary>The remote decision URL, <c>http://host:port/v1/data/{policy}</c>.</summary>
    [JsonIgnore]
    public Uri? RemoteUri { get; init; }

    /// <summary>The policy compiled from the inline sources (<c>rego</c>, <c>modules</c>, <c>data</c>), or null.</summary>
    [JsonIgnore]
    public CompiledPolicy? InlinePolicy { get; init; }

    /// <summary>The configuring object, e.g. <c>Extension default/opa</c>, for reports of reload failures.</summary>
    [JsonIgnore]
    public string Owner { get; init; } = string.Empty;
}

/// <summary>The <c>decision_logs</c> block.</summary>
internal sealed record OpaDecisionLogConfig
{
    /// <summary><c>enabled</c>: write one event per decision.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>log_input</c>: include the input (masked by <see cref="Mask"/>) in the event.</summary>
    public bool LogInput { get; init; }

    /// <summary><c>mask</c>: input fields replaced by <c>**masked**</c>, as paths like <c>/input/attributes/request/http/headers/authorization</c>.</summary>
    public EquatableArray<string> Mask { get; init; }
}
