namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>Where a token was found, so that <c>keep_token: false</c> can remove it from there.</summary>
/// <param name="Kind">Header, query parameter or cookie.</param>
/// <param name="Name">The header, parameter or cookie name.</param>
internal readonly record struct JwtTokenLocation(JwtTokenSource Kind, string Name);

/// <summary>The kinds of place a token is read from.</summary>
internal enum JwtTokenSource
{
    /// <summary><c>from_headers</c>.</summary>
    Header,

    /// <summary><c>from_params</c>.</summary>
    Query,

    /// <summary><c>from_cookies</c>.</summary>
    Cookie,
}
