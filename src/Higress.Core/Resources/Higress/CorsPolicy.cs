namespace Higress.Core.Resources;

/// <summary>A CORS policy (Istio <c>CorsPolicy</c>).</summary>
public sealed record CorsPolicy
{
    /// <summary>Allowed origins (exact | prefix | regex).</summary>
    public EquatableArray<StringMatch> AllowOrigins { get; init; }

    /// <summary>Allowed methods.</summary>
    public EquatableArray<string> AllowMethods { get; init; }

    /// <summary>Allowed request headers.</summary>
    public EquatableArray<string> AllowHeaders { get; init; }

    /// <summary>Response headers the browser may read.</summary>
    public EquatableArray<string> ExposeHeaders { get; init; }

    /// <summary>How long a preflight may be cached, e.g. <c>24h</c>.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Whether credentials are allowed.</summary>
    public bool? AllowCredentials { get; init; }
}
