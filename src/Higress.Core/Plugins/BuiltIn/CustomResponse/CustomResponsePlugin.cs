using System.Text.Json;
using Higress.Core.Resources;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Plugins.BuiltIn.CustomResponse;

/// <summary>
/// Higress's <c>custom-response</c>: answers every request with a fixed response (mock), or, with
/// <c>enable_on_status</c>, replaces responses whose status is listed (e.g. a rate limit's 429).
/// </summary>
internal sealed class CustomResponsePlugin : HigressPlugin<CustomResponseConfig>
{
    public const string PluginName = "custom-response";

    public override string Name => PluginName;

    // Higress runs custom-response in the authentication phase with priority 910, so that on the way back it
    // sees the responses of every plugin that runs after it (rate limits, auth).
    public override PluginPhase DefaultPhase => PluginPhase.Authn;

    public override int DefaultPriority => 910;

    public override CustomResponseConfig ParseConfig(JsonElement config, PluginConfigContext context) => CustomResponseConfigParser.Parse(config, context);

    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, CustomResponseConfig config)
    {
        if (!config.EnableOnStatus.IsEmpty)
        {
            return new ValueTask<PluginResult>(PluginResult.Continue);
        }

        AppendHeaders(context.HttpContext.Response, config);
        return new ValueTask<PluginResult>(PluginResult.Respond(config.StatusCode, config.Body ?? string.Empty, config.DefaultContentType));
    }

    public override ValueTask OnResponseAsync(PluginContext context, CustomResponseConfig config)
    {
        var response = context.HttpContext.Response;
        if (config.EnableOnStatus.IsEmpty || response.HasStarted || !config.EnableOnStatus.AsSpan().Contains(response.StatusCode))
        {
            return default;
        }

        // Like Higress's local reply, the custom response replaces the original one entirely.
        response.Headers.Clear();
        response.StatusCode = config.StatusCode;
        AppendHeaders(response, config);
        context.SetResponseBody(config.Body ?? string.Empty, config.DefaultContentType);
        return default;
    }

    private static void AppendHeaders(HttpResponse response, CustomResponseConfig config)
    {
        foreach (var header in config.Headers)
        {
            response.Headers.Append(header.Name, header.Value);
        }
    }
}
