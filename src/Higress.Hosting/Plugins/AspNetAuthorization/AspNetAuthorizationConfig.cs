using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Higress.Hosting.Plugins.AspNetAuthorization;

/// <summary>The <c>aspnet-authorization</c> plugin's config: which ASP.NET Core authorization policy a rule requires.</summary>
internal sealed record AspNetAuthorizationConfig
{
    /// <summary>
    /// A policy registered with <c>AddAuthorization(o =&gt; o.AddPolicy(name, ...))</c>; <c>default</c> for the default
    /// policy (an authenticated user, unless the host changed it); <c>anonymous</c> for none. The two reserved words
    /// are case-insensitive, as in YARP.
    /// </summary>
    [Required]
    public string Policy { get; init; } = string.Empty;

    /// <summary>What <see cref="Policy"/> names, derived when the config is validated.</summary>
    [JsonIgnore]
    public AspNetPolicyKind Kind { get; init; }
}

/// <summary>The three kinds of value of <see cref="AspNetAuthorizationConfig.Policy"/>.</summary>
internal enum AspNetPolicyKind
{
    /// <summary>A named policy.</summary>
    Named,

    /// <summary>The host's default policy.</summary>
    Default,

    /// <summary>No authorization (the user is still authenticated, so that it can become the consumer).</summary>
    Anonymous,
}
