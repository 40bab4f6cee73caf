using System.Text;
using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Plugins.BuiltIn.Transformer;
using Higress.Core.Resources.Parsing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using static Higress.Core.Tests.Plugins.PluginTestData;

namespace Higress.Core.Tests.Plugins.Transformer;

/// <summary>Parses transformer configs (YAML, as Higress's README writes them) and runs them on hand-built requests.</summary>
internal static class TransformerTestKit
{
    public static readonly TransformerPlugin Plugin = new(NullLogger<TransformerPlugin>.Instance);

    public static (TransformerConfig Config, PluginConfigContext Context) Parse(string yaml)
    {
        var json = YamlDocuments.Parse(yaml)[0].Json!.ToJsonString();
        var context = new PluginConfigContext(TransformerPlugin.PluginName, "Extension default/transformer");
        var config = Plugin.ParseConfig(JsonDocument.Parse(json).RootElement, context);
        return (config, context);
    }

    public static TransformerConfig Valid(string yaml)
    {
        var (config, context) = Parse(yaml);
        Assert.True(!context.HasErrors, string.Join("\n", context.Errors));
        return config;
    }

    public static DefaultHttpContext Request(string host, string pathAndQuery, string? contentType = null, string? body = null, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = body is null ? "GET" : "POST";
        request.Host = new HostString(host);
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        request.QueryString = q < 0 ? QueryString.Empty : new QueryString(pathAndQuery[q..]);
        foreach (var (name, value) in headers)
        {
            request.Headers.Append(name, value);
        }

        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = contentType;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static async Task<PluginContext> RunRequestAsync(string yaml, HttpContext http)
    {
        var config = Valid(yaml);
        var context = new PluginContext(http, Route());
        var result = await Plugin.OnRequestAsync(context, config, Plugin.CreateState(config));
        Assert.True(result.IsContinue);
        return context;
    }

    public static string BodyText(HttpRequest request)
    {
        request.Body.Position = 0;
        using var reader = new StreamReader(request.Body, Encoding.UTF8, leaveOpen: true);
        var text = reader.ReadToEnd();
        Assert.Equal(Encoding.UTF8.GetByteCount(text), request.ContentLength);
        return text;
    }
}
