using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>
/// A Gateway API BackendTLSPolicy (v1alpha3, v1): how the gateway originates TLS to the Services it targets, and how
/// it verifies them.
/// </summary>
public sealed record BackendTlsPolicy() : Resource(ResourceKinds.BackendTlsPolicy, ResourceKinds.GatewayApiV1)
{
    /// <summary>The targets and the validation.</summary>
    public BackendTlsPolicySpec Spec { get; init; } = new();
}

/// <summary>The spec of a <see cref="BackendTlsPolicy"/>.</summary>
public sealed record BackendTlsPolicySpec
{
    /// <summary>The Services (optionally one port, by <c>sectionName</c>) in the policy's namespace.</summary>
    [Required]
    public EquatableArray<BackendTlsPolicyTargetRef> TargetRefs { get; init; }

    /// <summary>How the upstream's certificate is verified.</summary>
    [Required]
    public BackendTlsPolicyValidation Validation { get; init; } = new();

    /// <summary>Implementation-specific TLS options; none is read.</summary>
    public EquatableMap<string> Options { get; init; }
}

/// <summary>A BackendTLSPolicy target: a Service of the policy's namespace.</summary>
public sealed record BackendTlsPolicyTargetRef
{
    /// <summary>The group (empty: core).</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The kind; <c>Service</c>.</summary>
    [Required]
    public string Kind { get; init; } = string.Empty;

    /// <summary>The Service's name.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary>A port name of the Service; none = every port.</summary>
    public string? SectionName { get; init; }
}

/// <summary>BackendTLSPolicy <c>validation</c>.</summary>
public sealed record BackendTlsPolicyValidation
{
    /// <summary>ConfigMaps or Secrets holding the CA bundle under <c>ca.crt</c>; exclusive with <see cref="WellKnownCaCertificates"/>.</summary>
    public EquatableArray<LocalObjectReference> CaCertificateRefs { get; init; }

    /// <summary><c>System</c>: trust the system's roots.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("wellKnownCACertificates")]
    public string? WellKnownCaCertificates { get; init; }

    /// <summary>The name sent as SNI and required in the certificate (unless <see cref="SubjectAltNames"/> are given).</summary>
    [Required]
    public string Hostname { get; init; } = string.Empty;

    /// <summary>Names accepted in the certificate instead of <see cref="Hostname"/>.</summary>
    public EquatableArray<BackendTlsSubjectAltName> SubjectAltNames { get; init; }
}

/// <summary>A BackendTLSPolicy subject alternative name.</summary>
public sealed record BackendTlsSubjectAltName
{
    /// <summary><c>Hostname</c> or <c>URI</c>.</summary>
    [Required]
    public string Type { get; init; } = string.Empty;

    /// <summary>The DNS name (type Hostname).</summary>
    public string? Hostname { get; init; }

    /// <summary>The URI (type URI), e.g. a SPIFFE id.</summary>
    public string? Uri { get; init; }
}
