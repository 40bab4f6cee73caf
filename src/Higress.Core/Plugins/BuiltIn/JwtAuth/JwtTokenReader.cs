using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>
/// Reads a consumer's token from the request as Higress does (headers, then query parameters, then cookies; a header
/// whose value lacks the prefix ends the header search), and removes it for <c>keep_token: false</c>.
/// </summary>
internal sealed class JwtTokenReader
{
    private static readonly EquatableArray<JwtFromHeader> DefaultHeaders = [new JwtFromHeader { Name = "Authorization", ValuePrefix = "Bearer " }];
    private static readonly EquatableArray<string> DefaultParams = ["access_token"];

    private readonly EquatableArray<JwtFromHeader> _headers;
    private readonly EquatableArray<string> _params;
    private readonly EquatableArray<string> _cookies;

    public JwtTokenReader(JwtConsumer consumer)
    {
        // Higress uses the defaults only when none of the three is configured.
        var defaults = consumer.FromHeaders is null && consumer.FromParams is null && consumer.FromCookies is null;
        _headers = defaults ? DefaultHeaders : consumer.FromHeaders ?? [];
        _params = defaults ? DefaultParams : consumer.FromParams ?? [];
        _cookies = consumer.FromCookies ?? [];
    }

    /// <summary>The token and where it was, or null when the request carries none.</summary>
    public string? Read(HttpRequest request, out JwtTokenLocation location)
    {
        foreach (var header in _headers)
        {
            var value = request.Headers[header.Name].ToString();
            if (value.Length == 0)
            {
                continue;
            }

            location = new JwtTokenLocation(JwtTokenSource.Header, header.Name);
            return value.StartsWith(header.ValuePrefix, StringComparison.Ordinal) && value.Length > header.ValuePrefix.Length
                ? value[header.ValuePrefix.Length..]
                : null;
        }

        if (!_params.IsEmpty && request.QueryString.HasValue)
        {
            foreach (var name in _params)
            {
                if (request.Query[name] is { Count: > 0 } values && !string.IsNullOrEmpty(values[0]))
                {
                    location = new JwtTokenLocation(JwtTokenSource.Query, name);
                    return values[0];
                }
            }
        }

        foreach (var name in _cookies)
        {
            if (request.Cookies[name] is { Length: > 0 } cookie)
            {
                location = new JwtTokenLocation(JwtTokenSource.Cookie, name);
                return cookie;
            }
        }

        location = default;
        return null;
    }

    /// <summary>Removes the token from where <see cref="Read"/> found it, so that the upstream never sees it.</summary>
    public static void Remove(HttpRequest request, JwtTokenLocation location)
    {
        switch (location.Kind)
        {
            case JwtTokenSource.Header:
                request.Headers.Remove(location.Name);
                break;
            case JwtTokenSource.Query:
                var kept = new List<KeyValuePair<string, string?>>();
                foreach (var (name, values) in request.Query)
                {
                    if (!string.Equals(name, location.Name, StringComparison.Ordinal))
                    {
                        foreach (var value in values)
                        {
                            kept.Add(new KeyValuePair<string, string?>(name, value));
                        }
                    }
                }

                request.QueryString = QueryString.Create(kept);
                break;
            case JwtTokenSource.Cookie:
                var cookies = new List<string>();
                foreach (var pair in request.Headers.Cookie.ToString().Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var equals = pair.IndexOf('=', StringComparison.Ordinal);
                    var name = equals < 0 ? pair : pair[..equals].Trim();
                    if (!string.Equals(name, location.Name, StringComparison.Ordinal))
                    {
                        cookies.Add(pair);
                    }
                }

                request.Headers.Cookie = cookies.Count == 0 ? StringValues.Empty : string.Join("; ", cookies);
                if (cookies.Count == 0)
                {
                    request.Headers.Remove("Cookie");
                }

                break;
        }
    }
}
