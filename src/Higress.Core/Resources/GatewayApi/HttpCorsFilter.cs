namespace Higress.Core.Resources;

/// <summary>The HTTPRoute <c>CORS</c> filter (Gateway API <c>HTTPCORSFilter</c>).</summary>
public sealed record HttpCorsFilter
{
    /// <summary>Allowed origins: <c>scheme://host[:port]</c>, a <c>*</c> host wildcard (<c>https://*.example.com</c>) or <c>*</c>.</summary>
    public EquatableArray<string> AllowOrigins { get; init; }

    /// <summary>Allowed methods, or <c>*</c>.</summary>
    public EquatableArray<string> AllowMethods { get; init; }

    /// <summary>Allowed request headers, or <c>*</c>.</summary>
    public EquatableArray<string> AllowHeaders { get; init; }

    /// <summary>Response headers the browser may read, or <c>*</c>.</summary>
    public EquatableArray<string> ExposeHeaders { get; init; }

    /// <summary>Seconds a browser may cache a preflight result; the Gateway API default is 5.</summary>
    [Parsing.Range(1, int.MaxValue)]
    public int? MaxAge { get; init; }

    /// <summary>Whether the browser may send credentials.</summary>
    public bool? AllowCredentials { get; init; }
}
