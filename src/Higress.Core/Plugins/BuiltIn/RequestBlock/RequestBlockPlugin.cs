using System.Text;
using Higress.Core.Resources;
using Higress.Core.Routing;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Plugins.BuiltIn.RequestBlock;

/// <summary>
/// Higress's <c>request-block</c>: refuses requests whose URL (path and query), headers or body contain configured
/// strings or match configured patterns.
/// </summary>
internal sealed class RequestBlockPlugin : HigressPlugin<RequestBlockConfig, RequestBlockState>
{
    public const string PluginName = "request-block";

    /// <summary>
    /// The most body bytes <c>block_bodies</c> inspects (Higress's 32 MB). A larger body is refused with 413 rather
    /// than forwarded unread: padding a body must not carry a blocked string past the check.
    /// </summary>
    public const long MaxBodyBytes = 32L * 1024 * 1024;

    public override string Name => PluginName;

    // Higress runs request-block in the authentication phase with priority 320 (before ip-restriction's 210).
    public override PluginPhase DefaultPhase => PluginPhase.Authn;

    public override int DefaultPriority => 320;

    protected override bool RejectUnknownFields => true;

    public override RequestBlockState CreateState(RequestBlockConfig config) => new(config);

    protected override RequestBlockConfig Validate(RequestBlockConfig config, PluginConfigContext context)
    {
        if (config.BlockUrls.IsEmpty && config.BlockExactUrls.IsEmpty && config.BlockRegexpUrls.IsEmpty && config.BlockHeaders.IsEmpty && config.BlockBodies.IsEmpty)
        {
            context.AddError("block_urls", "there are no block rules: block_urls, block_exact_urls, block_regexp_urls, block_headers and block_bodies are all empty", "list at least one string to block, e.g. block_urls: [swagger.html]");
        }

        RejectEmpty(config.BlockUrls, "block_urls", context);
        RejectEmpty(config.BlockExactUrls, "block_exact_urls", context);
        RejectEmpty(config.BlockHeaders, "block_headers", context);
        RejectEmpty(config.BlockBodies, "block_bodies", context);
        for (var i = 0; i < config.BlockRegexpUrls.Count; i++)
        {
            var pattern = config.BlockRegexpUrls[i];
            if (pattern.Length == 0)
            {
                RejectEmpty(config.BlockRegexpUrls, "block_regexp_urls", context);
            }
            else if (RegexCache.Validate(pattern) is { } problem)
            {
                context.AddError($"block_regexp_urls[{i}]", problem.Message, problem.Fix);
            }
        }

        return config;
    }

    public override ValueTask<PluginResult> OnRequestAsync(PluginContext context, RequestBlockConfig config, RequestBlockState state)
    {
        var request = context.HttpContext.Request;

        // Higress matches its ":path", the path with the query string; the gateway has already normalised the path.
        var url = request.QueryString.HasValue ? request.Path.Value + request.QueryString.Value : request.Path.Value ?? "/";
        if (BlocksUrl(url, config, state) || BlocksHeaders(request, url, config, state))
        {
            return new ValueTask<PluginResult>(Blocked(config));
        }

        return config.BlockBodies.IsEmpty || request.ContentLength == 0
            ? new ValueTask<PluginResult>(PluginResult.Continue)
            : CheckBodyAsync(context, config, state);
    }

    private static PluginResult Blocked(RequestBlockConfig config) =>
        string.IsNullOrEmpty(config.BlockedMessage)
            ? PluginResult.Respond(config.BlockedCode)
            : PluginResult.Respond(config.BlockedCode, config.BlockedMessage, "text/plain");

    private static bool BlocksUrl(string url, RequestBlockConfig config, RequestBlockState state)
    {
        foreach (var exact in config.BlockExactUrls)
        {
            if (string.Equals(url, exact, state.Comparison))
            {
                return true;
            }
        }

        foreach (var part in config.BlockUrls)
        {
            if (url.Contains(part, state.Comparison))
            {
                return true;
            }
        }

        foreach (var pattern in state.UrlPatterns)
        {
            if (RegexCache.IsFullMatch(pattern, url, onTimeout: true))
            {
                return true;
            }
        }

        return false;
    }

    // Higress searches each header as "name\nvalue", names in lower case as Envoy keeps them, pseudo-headers included.
    private static bool BlocksHeaders(HttpRequest request, string url, RequestBlockConfig config, RequestBlockState state)
    {
        if (config.BlockHeaders.IsEmpty)
        {
            return false;
        }

        if (state.HeaderSpansLines)
        {
            var joined = HeaderLines.Join(request, url);
            foreach (var blocked in config.BlockHeaders)
            {
                if (joined.Contains(blocked, state.Comparison))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var blocked in config.BlockHeaders)
        {
            if (HeaderLines.AnyContains(request, url, blocked, state.Comparison))
            {
                return true;
            }
        }

        return false;
    }

    private static async ValueTask<PluginResult> CheckBodyAsync(PluginContext context, RequestBlockConfig config, RequestBlockState state)
    {
        var read = await context.ReadRequestBodyAsync(MaxBodyBytes).ConfigureAwait(false);
        if (read.TooLarge)
        {
            return PluginResult.Respond(StatusCodes.Status413PayloadTooLarge);
        }

        var body = read.Body.Span;
        if (config.CaseSensitive)
        {
            foreach (var blocked in state.BodyBytes)
            {
                if (body.IndexOf(blocked) >= 0)
                {
                    return Blocked(config);
                }
            }

            return PluginResult.Continue;
        }

        var text = Encoding.UTF8.GetString(body);
        foreach (var blocked in config.BlockBodies)
        {
            if (text.Contains(blocked, StringComparison.OrdinalIgnoreCase))
            {
                return Blocked(config);
            }
        }

        return PluginResult.Continue;
    }

    private static void RejectEmpty(EquatableArray<string> values, string field, PluginConfigContext context)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i].Length == 0)
            {
                context.AddError($"{field}[{i}]", "is empty: it would block every request", "remove the empty string");
            }
        }
    }
}
