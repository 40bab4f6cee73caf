using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Higress.Core.Resources;
using Higress.Core.Translation.Plugins;

namespace Higress.Core.Plugins.BuiltIn.Cors;

/// <summary>
/// Translates the native Route <c>corsPolicy</c> and the HTTPRoute <c>CORS</c> filter into <c>cors</c> plugin
/// configs, so that all three share one engine. A <c>*</c> origin becomes the pattern <c>*</c>, which (unlike
/// <c>allow_origins: ['*']</c>) keeps credentials allowed: the origin is echoed, as both specs require.
/// </summary>
internal static class CorsFieldPlugins
{
    /// <summary>The config of a native <c>corsPolicy</c>; null when it allows no origin.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="fieldPath">The field, e.g. <c>spec.http[0].corsPolicy</c>.</param>
    /// <returns>The plugin instance, or null.</returns>
    public static FieldPlugin? FromCorsPolicy(CorsPolicy policy, string fieldPath)
    {
        var exact = new JsonArray();
        var patterns = new JsonArray();
        var expressions = new JsonArray();
        foreach (var origin in policy.AllowOrigins)
        {
            switch (origin)
            {
                case { Exact: "*" }:
                    patterns.Add("*");
                    break;
                case { Exact: { } value }:
                    exact.Add(value);
                    break;
                case { Prefix: { } value }:
                    expressions.Add(Regex.Escape(value) + ".*");
                    break;
                case { Regex: { } value }:
                    expressions.Add(value);
                    break;
            }
        }

        var maxAge = policy.MaxAge is { } age ? (long)Math.Ceiling(age.TotalSeconds) : (long?)null;
        return Build(fieldPath, exact, patterns, expressions, policy.AllowMethods, policy.AllowHeaders, policy.ExposeHeaders, policy.AllowCredentials, maxAge);
    }

    /// <summary>The config of an HTTPRoute <c>CORS</c> filter; null when it allows no origin.</summary>
    /// <param name="filter">The filter.</param>
    /// <param name="fieldPath">The field, e.g. <c>spec.rules[0].filters[1].cors</c>.</param>
    /// <returns>The plugin instance, or null.</returns>
    public static FieldPlugin? FromFilter(HttpCorsFilter filter, string fieldPath)
    {
        var exact = new JsonArray();
        var patterns = new JsonArray();
        foreach (var origin in filter.AllowOrigins)
        {
            (origin.Contains('*', StringComparison.Ordinal) ? patterns : exact).Add(origin);
        }

        // The Gateway API's default max age is 5 seconds.
        return Build(fieldPath, exact, patterns, [], filter.AllowMethods, filter.AllowHeaders, filter.ExposeHeaders, filter.AllowCredentials, filter.MaxAge ?? 5);
    }

    private static FieldPlugin? Build(
        string fieldPath, JsonArray exact, JsonArray patterns, JsonArray expressions, EquatableArray<string> methods, EquatableArray<string> headers,
        EquatableArray<string> expose, bool? credentials, long? maxAge)
    {
        if (exact.Count + patterns.Count + expressions.Count == 0)
        {
            return null;
        }

        var config = new JsonObject
        {
            ["allow_origins"] = exact,
            ["allow_origin_patterns"] = patterns,
            ["allow_origin_regex"] = expressions,
            ["allow_methods"] = Array(methods),
            ["allow_headers"] = Array(headers),
            ["expose_headers"] = Array(expose),
            ["allow_credentials"] = credentials ?? false,
        };
        if (maxAge is { } seconds)
        {
            config["max_age"] = seconds;
        }

        return new FieldPlugin(CorsPlugin.PluginName, fieldPath, EquatableJson.FromNode(config));
    }

    private static JsonArray Array(EquatableArray<string> values)
    {
        var array = new JsonArray();
        foreach (var value in values)
        {
            array.Add(value);
        }

        return array;
    }
}
