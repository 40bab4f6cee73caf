using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Tests.Plugins;

/// <summary>Parses an auth plugin's config as the translator would and runs one request through it.</summary>
internal static class AuthPluginTestKit
{
    /// <summary>A Secret <c>creds</c> in namespace <c>a</c> with <c>key1</c> and <c>userpass</c>.</summary>
    public static Secret CredsSecret { get; } = new()
    {
        Metadata = new ResourceMetadata { Name = "creds", Namespace = "a" },
        StringData = new Dictionary<string, string> { ["key1"] = "secret-key-from-secret", ["userpass"] = "vault:s3cr:et", ["hmac"] = "hmac-secret-from-secret" },
    };

    public static (TConfig Config, PluginConfigContext Context) Parse<TConfig>(HigressPlugin<TConfig> plugin, string json, bool isMatchRule = false, bool hasMatchRules = false)
        where TConfig : class
    {
        var context = new PluginConfigContext(plugin.Name, "Extension a/auth")
        {
            Namespace = "a",
            IsMatchRule = isMatchRule,
            HasMatchRules = hasMatchRules || isMatchRule,
            SecretLookup = name => name == CredsSecret.Metadata.Name ? CredsSecret : null,
        };
        var config = plugin.ParseConfig(JsonDocument.Parse(json).RootElement, context);
        return (config, context);
    }

    public static TConfig Valid<TConfig>(HigressPlugin<TConfig> plugin, string json, bool isMatchRule = false, bool hasMatchRules = false)
        where TConfig : class
    {
        var (config, context) = Parse(plugin, json, isMatchRule, hasMatchRules);
        Assert.False(context.HasErrors, string.Join("\n", context.Errors));
        return config;
    }

    public static IReadOnlyList<string> Errors<TConfig>(HigressPlugin<TConfig> plugin, string json, bool isMatchRule = false, bool hasMatchRules = false)
        where TConfig : class => Parse(plugin, json, isMatchRule, hasMatchRules).Context.Errors.Select(e => e.ToString()).ToList();

    public static DefaultHttpContext Request(string pathAndQuery = "/", params (string Name, string Value)[] headers)
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        http.Request.Path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        http.Request.QueryString = question < 0 ? QueryString.Empty : new QueryString(pathAndQuery[question..]);
        foreach (var (name, value) in headers)
        {
            http.Request.Headers.Append(name, value);
        }

        return http;
    }

    public static async Task<(PluginResult Result, PluginContext Context)> RunAsync<TConfig>(HigressPlugin<TConfig> plugin, TConfig config, HttpContext http)
        where TConfig : class
    {
        var context = new PluginContext(http, PluginTestData.Route());
        var result = await plugin.OnRequestAsync(context, config);
        return (result, context);
    }
}
