using System.Text.Json;
using Higress.Core.Plan;
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

    protected override CustomResponseConfig Validate(CustomResponseConfig config, PluginConfigContext context)
    {
        if (config.Rules is not null)
        {
            context.AddError("rules", "the multi-rule form of custom-response is not supported yet", "use one Extension per response with status_code, headers, body and enable_on_status");
        }

        for (var i = 0; i < config.EnableOnStatus.Count; i++)
        {
            if (config.EnableOnStatus[i] is < 100 or > 599)
            {
                context.AddError($"enable_on_status[{i}]", $"{config.EnableOnStatus[i]} is not an HTTP status code", "use a whole number from 100 to 599");
            }
        }

        var headers = new List<HeaderValue>(config.Headers.Count);
        for (var i = 0; i < config.Headers.Count; i++)
        {
            if (ParseHeader(config.Headers[i], $"headers[{i}]", context) is { } header)
            {
                headers.Add(header);
            }
        }

        return config with { ParsedHeaders = [.. headers], DefaultContentType = DefaultContentType(config.Body, headers) };
    }

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
        foreach (var header in config.ParsedHeaders)
        {
            response.Headers.Append(header.Name, header.Value);
        }
    }

    private static HeaderValue? ParseHeader(string text, string path, PluginConfigContext context)
    {
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0 || text[..separator].Trim().Length == 0)
        {
            context.AddError(path, $"'{text}' is not a \"key=value\" header", "separate the header name and value with '=', e.g. \"Hello=World\"");
            return null;
        }

        var name = text[..separator].Trim();
        if (name.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            context.AddError(path, $"'{name}' is not a valid header name", "use letters, digits and '-' only");
            return null;
        }

        return new HeaderValue(name, text[(separator + 1)..].Trim());
    }

    // Higress adds a content type when the headers name none: JSON when the body parses as JSON, else text.
    private static string? DefaultContentType(string? body, List<HeaderValue> headers)
    {
        if (string.IsNullOrEmpty(body) || headers.Any(h => string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return "application/json; charset=utf-8";
        }
        catch (JsonException)
        {
            return "text/plain; charset=utf-8";
        }
    }
}
