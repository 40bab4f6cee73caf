using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Higress.Core.Diagnostics;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Higress.Core.Plugins.BuiltIn.Transformer;

/// <summary>
/// Higress's <c>transformer</c>: removes, renames, replaces, adds, appends, maps and dedupes request headers, query
/// parameters and bodies (JSON or urlencoded form), and response headers and JSON bodies, as configured by
/// <c>reqRules</c> and <c>respRules</c>. The config is compiled once per plan into the instance's state.
/// </summary>
internal sealed partial class TransformerPlugin(ILogger<TransformerPlugin> logger) : HigressPlugin<TransformerConfig, TransformProgram>
{
    public const string PluginName = "transformer";

    /// <summary>The largest body the plugin transforms or maps from; a larger one passes on unchanged.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    private static readonly object OriginalTargetKey = new();

    private static readonly JsonSerializerOptions BodyJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public override string Name => PluginName;

    // Higress's documented execution attributes: authentication phase, priority 410.
    public override PluginPhase DefaultPhase => PluginPhase.Authn;

    public override int DefaultPriority => 410;

    protected override bool RejectUnknownFields => true;

    protected override TransformerConfig Validate(TransformerConfig config, PluginConfigContext context)
    {
        // An instance whose rules all live in matchRules may leave its default config empty.
        if (config.ReqRules.IsEmpty && config.RespRules.IsEmpty && !(context.HasMatchRules && !context.IsMatchRule))
        {
            context.AddError("reqRules", "neither reqRules nor respRules is set", "add reqRules or respRules with at least one rule");
        }

        if (config.Reroute == true && !config.ReqRules.IsEmpty)
        {
            context.AddWarning(
                "reroute",
                "is not enforced: Higress.Net selects the route once, before plugins run, so changed headers or query parameters do not select another route",
                "set reroute: false (or remove it), and match the target route on the original request or put the transformer on the target route");
        }

        TransformProgram.Compile(config, context);
        return config;
    }

    public override TransformProgram CreateState(TransformerConfig config) =>
        TransformProgram.Compile(config, new PluginConfigContext(PluginName, "state"));

    public override async ValueTask<PluginResult> OnRequestAsync(PluginContext context, TransformerConfig config, TransformProgram state)
    {
        var request = context.HttpContext.Request;
        var needsTarget = state.Request?.UsesPatterns == true || state.Response?.UsesPatterns == true;
        var host = needsTarget ? request.Host.Value ?? string.Empty : string.Empty;
        var path = needsTarget ? request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.Value : string.Empty;
        if (state.Response?.UsesPatterns == true)
        {
            // Response values are filled from the request as it arrived, before this plugin changed it.
            context.HttpContext.Items[OriginalTargetKey] = (host, path);
        }

        if (state.Request is not { } side)
        {
            return PluginResult.Continue;
        }

        var querys = side.ReadsQuerys ? KvStore.ParseUrlEncoded(request.QueryString.Value ?? string.Empty) : null;
        var sources = new TransformSources { Headers = new HeaderKvStore(request.Headers), Querys = querys };
        var bodyKind = side.ReadsBody ? KindOf(request.ContentType, isResponse: false) : BodyKind.None;
        if (bodyKind != BodyKind.None)
        {
            var read = await context.ReadRequestBodyAsync(MaxBodyBytes).ConfigureAwait(false);
            bodyKind = Parse(read, bodyKind, sources);
        }

        KvTransformer.Apply(side.Headers, sources.Headers, sources, TransformTarget.Headers, host, path);
        if (querys is not null && side.Querys.Length > 0)
        {
            KvTransformer.Apply(side.Querys, querys, sources, TransformTarget.Querys, host, path);
            var query = querys.ToUrlEncoded();
            request.QueryString = query.Length == 0 ? QueryString.Empty : new QueryString("?" + query);
        }

        if (side.Body.Length > 0 && Transform(side, bodyKind, sources, host, path) is { } body)
        {
            request.Body = new MemoryStream(body);
            request.ContentLength = body.Length;
            request.Headers.Remove(HeaderNames.TransferEncoding);
        }

        return PluginResult.Continue;
    }

    public override async ValueTask OnResponseAsync(PluginContext context, TransformerConfig config, TransformProgram state)
    {
        var response = context.HttpContext.Response;
        if (state.Response is not { } side || response.HasStarted)
        {
            return;
        }

        var (host, path) = side.UsesPatterns && context.HttpContext.Items[OriginalTargetKey] is (string h, string p) ? (h, p) : (string.Empty, string.Empty);
        var sources = new TransformSources { Headers = new HeaderKvStore(response.Headers) };
        var bodyKind = side.ReadsBody ? KindOf(response.ContentType, isResponse: true) : BodyKind.None;
        if (bodyKind != BodyKind.None)
        {
            var read = await context.ReadResponseBodyAsync(MaxBodyBytes).ConfigureAwait(false);
            bodyKind = Parse(read, bodyKind, sources);
        }

        KvTransformer.Apply(side.Headers, sources.Headers, sources, TransformTarget.Headers, host, path);
        if (side.Body.Length > 0 && Transform(side, bodyKind, sources, host, path) is { } body)
        {
            context.SetResponseBody(body);
        }
    }

    private enum BodyKind
    {
        None,
        Json,
        Form,
    }

    // Requests: JSON and urlencoded forms; responses: JSON only (as Higress).
    private static BodyKind KindOf(string? contentType, bool isResponse)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return BodyKind.None;
        }

        if (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Json;
        }

        return !isResponse && media.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? BodyKind.Form : BodyKind.None;
    }

    private BodyKind Parse(BodyReadResult read, BodyKind kind, TransformSources sources)
    {
        if (read.TooLarge)
        {
            Log.BodyTooLarge(logger, MaxBodyBytes);
            return BodyKind.None;
        }

        if (read.Body.IsEmpty)
        {
            return BodyKind.None;
        }

        if (kind == BodyKind.Form)
        {
            sources.FormBody = KvStore.ParseUrlEncoded(Encoding.UTF8.GetString(read.Body.Span));
            return kind;
        }

        try
        {
            sources.JsonBody = JsonNode.Parse(read.Body.Span);
            sources.HasJsonBody = true;
            return kind;
        }
        catch (JsonException)
        {
            Log.InvalidJson(logger);
            return BodyKind.None;
        }
    }

    private static byte[]? Transform(TransformSide side, BodyKind kind, TransformSources sources, string host, string path)
    {
        switch (kind)
        {
            case BodyKind.Json:
                var root = JsonTransformer.Apply(side.Body, sources.JsonBody, sources, host, path);
                return Encoding.UTF8.GetBytes(root?.ToJsonString(BodyJson) ?? "null");
            case BodyKind.Form:
                var form = (KvStore)sources.FormBody!;
                KvTransformer.Apply(side.Body, form, sources, TransformTarget.Body, host, path);
                return Encoding.UTF8.GetBytes(form.ToUrlEncoded());
            default:
                return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.TransformerBodyTooLarge, EventName = "TransformerBodyTooLarge", Level = LogLevel.Debug, Message = "transformer: the body is larger than {Limit} bytes; it passes on unchanged")]
        public static partial void BodyTooLarge(ILogger logger, int limit);

        [LoggerMessage(EventId = EventIds.TransformerInvalidJson, EventName = "TransformerInvalidJson", Level = LogLevel.Debug, Message = "transformer: the body is not valid JSON; it passes on unchanged")]
        public static partial void InvalidJson(ILogger logger);
    }
}
