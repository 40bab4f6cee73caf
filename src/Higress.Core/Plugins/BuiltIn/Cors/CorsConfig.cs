using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.Cors;

/// <summary>The <c>cors</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record CorsConfig
{
    /// <summary><c>allow_origins</c>: exact origins (<c>scheme://host[:port]</c>) or <c>*</c>.</summary>
    public EquatableArray<string> AllowOrigins { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>allow_origin_patterns</c>: origins with <c>*</c> in the host and an optional <c>:[8080,9090]</c> or <c>:[*]</c> port list.</summary>
    public EquatableArray<string> AllowOriginPatterns { get; init; } = EquatableArray<string>.Empty;

    /// <summary>
    /// <c>allow_origin_regex</c> (Higress.Net only): .NET regular expressions an origin must match in full. The native
    /// Route <c>corsPolicy</c> translates its prefix and regex origins into it.
    /// </summary>
    public EquatableArray<string> AllowOriginRegex { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>allow_methods</c>: methods, or <c>*</c>.</summary>
    public EquatableArray<string> AllowMethods { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>allow_headers</c>: request headers a preflight may announce, or <c>*</c>.</summary>
    public EquatableArray<string> AllowHeaders { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>expose_headers</c>: response headers the browser may read, or <c>*</c>.</summary>
    public EquatableArray<string> ExposeHeaders { get; init; } = EquatableArray<string>.Empty;

    /// <summary><c>allow_credentials</c>: whether the browser may send cookies and credentials.</summary>
    public bool AllowCredentials { get; init; }

    /// <summary><c>max_age</c>: seconds a browser may cache a preflight result; 0 or absent is 86400.</summary>
    public long MaxAge { get; init; }

    /// <summary>The precomputed engine (built once in validation, shared by every request).</summary>
    [JsonIgnore]
    public CorsEngine Engine { get; init; } = CorsEngine.Empty;
}
