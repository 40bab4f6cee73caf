using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.IpRestriction;

/// <summary>The <c>ip-restriction</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record IpRestrictionConfig
{
    /// <summary>The value of <see cref="IpSourceType"/> that takes the peer address of the connection.</summary>
    public const string OriginSource = "origin-source";

    /// <summary>The value of <see cref="IpSourceType"/> that takes the first address of <see cref="IpHeaderName"/>.</summary>
    public const string HeaderSource = "header";

    /// <summary><c>ip_source_type</c>: <c>origin-source</c> (the connection's peer) or <c>header</c>.</summary>
    public string IpSourceType { get; init; } = OriginSource;

    /// <summary><c>ip_header_name</c>: the header read when <see cref="IpSourceType"/> is <c>header</c>.</summary>
    public string IpHeaderName { get; init; } = "x-forwarded-for";

    /// <summary><c>allow</c>: addresses and CIDRs that may pass; every other address is refused.</summary>
    public EquatableArray<string> Allow { get; init; }

    /// <summary><c>deny</c>: addresses and CIDRs that are refused; every other address passes.</summary>
    public EquatableArray<string> Deny { get; init; }

    /// <summary><c>status</c>: the status of the refusal.</summary>
    [Range(100, 599)]
    public int Status { get; init; } = 403;

    /// <summary><c>message</c>: the refusal's message, sent as <c>{"message": ...}</c>.</summary>
    public string Message { get; init; } = "Your IP address is blocked.";

    /// <summary>The parsed <see cref="Allow"/> or <see cref="Deny"/> list (only one may be set).</summary>
    [JsonIgnore]
    public EquatableArray<IPNetwork> Networks { get; init; }

    /// <summary>True when <see cref="Networks"/> is the allow list, false when it is the deny list.</summary>
    [JsonIgnore]
    public bool IsAllowList { get; init; }

    /// <summary>True when the address comes from <see cref="IpHeaderName"/>.</summary>
    [JsonIgnore]
    public bool FromHeader { get; init; }

    /// <summary>The refusal's body, serialised once.</summary>
    [JsonIgnore]
    public string DeniedBody { get; init; } = string.Empty;
}
