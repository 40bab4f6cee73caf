using Higress.Core.Routing;
using Higress.Core.Translation;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Checks that span fields of one object (exactly one of exact/prefix/regex, a filter's type and its field...).
/// Single-field checks are attributes on the records; this holds the rest. It runs on every bound object.
/// </summary>
internal static class SemanticValidator
{
    private static readonly string[] TlsModes = ["DISABLE", "SIMPLE", "MUTUAL", "ISTIO_MUTUAL"];

    public static void Validate(object instance, string path, BindContext context)
    {
        switch (instance)
        {
            case StringMatch m:
                var count = (m.Exact is null ? 0 : 1) + (m.Prefix is null ? 0 : 1) + (m.Regex is null ? 0 : 1) + (m.Present is null ? 0 : 1);
                if (count != 1)
                {
                    context.Error(path, count == 0 ? "a string match needs a value" : "a string match takes only one of exact, prefix, regex, present", "write exactly one of exact, prefix, regex (or present for headers)");
                }

                break;
            case RouteRule r:
                var actions = (r.Route.IsEmpty ? 0 : 1) + (r.Redirect is null ? 0 : 1) + (r.DirectResponse is null ? 0 : 1);
                if (actions > 1)
                {
                    context.Error(path, "route, redirect and directResponse are exclusive", "keep one of route, redirect, directResponse");
                }

                if (r.Canary is not null && r.Route.IsEmpty)
                {
                    context.Error(JsonBinder.Join(path, "canary"), "a canary needs the rule's route to take traffic from", "add route destinations to the rule or remove canary");
                }

                if (r.Rewrite is not null && r.Redirect is not null)
                {
                    context.Error(JsonBinder.Join(path, "rewrite"), "rewrite cannot be used with redirect", "remove rewrite or redirect");
                }

                BalancingValidator.ValidateRouteWeights(r, path, context);
                break;
            case RouteCanary canary:
                ValidateCanary(canary, path, context);
                break;
            case HttpRedirect { Scheme: { } scheme } when scheme is not ("http" or "https"):
                context.Error(JsonBinder.Join(path, "scheme"), $"'{scheme}' is not a valid scheme", "use http or https");
                break;
            case HttpRequestRedirectFilter { Scheme: { } scheme } when scheme is not ("http" or "https"):
                context.Error(JsonBinder.Join(path, "scheme"), $"'{scheme}' is not a valid scheme", "use http or https");
                break;
            case HttpRetry retry:
                if (!RetryPolicies.TryParseRetryOn(retry.RetryOn, out _, out _, out var retryOnError))
                {
                    context.Error(JsonBinder.Join(path, "retryOn"), retryOnError!, $"write a comma-separated list of: {RetryPolicies.Accepted}");
                }

                if (retry.PerTryTimeout < TimeSpan.Zero)
                {
                    context.Error(JsonBinder.Join(path, "perTryTimeout"), "is negative", "write a positive duration such as 2s, or 0s for no per-try timeout");
                }

                break;
            case RouteRateLimit limit:
                ValidateRateLimitKey(limit.Key, JsonBinder.Join(path, "key"), context);
                break;
            case HttpPathMatch p:
                ValidatePath(p, path, context);
                break;
            case HttpHeaderMatch { Type: ValueMatchType.RegularExpression } h:
                ValidateRegex(h.Value, JsonBinder.Join(path, "value"), context);
                break;
            case HttpQueryParamMatch { Type: ValueMatchType.RegularExpression } q:
                ValidateRegex(q.Value, JsonBinder.Join(path, "value"), context);
                break;
            case GrpcMethodMatch g:
                if (g.Service is null && g.Method is null)
                {
                    context.Error(path, "a method match needs service or method", "set service and/or method");
                }

                if (g.Type == ValueMatchType.RegularExpression)
                {
                    var errors = context.ErrorCount;
                    ValidateRegex(g.Service, JsonBinder.Join(path, "service"), context);
                    ValidateRegex(g.Method, JsonBinder.Join(path, "method"), context);

                    // The router runs both parts as one pattern, which the engine's size limit applies to.
                    if (context.ErrorCount == errors)
                    {
                        ValidateRegex(g.RegexPath, path, context);
                    }
                }

                break;
            case HttpRouteFilter f:
                ValidateFilter(f, path, context);
                break;
            case GrpcRouteRule rule:
                for (var i = 0; i < rule.Filters.Count; i++)
                {
                    if (rule.Filters[i].Type is HttpRouteFilterType.RequestRedirect or HttpRouteFilterType.UrlRewrite)
                    {
                        context.Error($"{path}.filters[{i}].type", $"{JsonBinder.EnumWireName(rule.Filters[i].Type)} is not a GRPCRoute filter", "use RequestHeaderModifier, ResponseHeaderModifier, RequestMirror or ExtensionRef");
                    }
                }

                break;
            case HttpPathModifier { Type: PathModifierType.ReplaceFullPath, ReplaceFullPath: null }:
                context.Error(JsonBinder.Join(path, "replaceFullPath"), "'replaceFullPath' is required for type ReplaceFullPath", "set replaceFullPath");
                break;
            case HttpPathModifier { Type: PathModifierType.ReplacePrefixMatch, ReplacePrefixMatch: null }:
                context.Error(JsonBinder.Join(path, "replacePrefixMatch"), "'replacePrefixMatch' is required for type ReplacePrefixMatch", "set replacePrefixMatch");
                break;
            case LabelSelectorRequirement req:
                var needsValues = req.Operator is LabelSelectorOperator.In or LabelSelectorOperator.NotIn;
                if (needsValues == req.Values.IsEmpty)
                {
                    context.Error(JsonBinder.Join(path, "values"), needsValues ? $"operator {req.Operator} needs values" : $"operator {req.Operator} takes no values", needsValues ? "list the values" : "remove values");
                }

                break;
            case RouteNamespaces { From: FromNamespaces.Selector, Selector: null }:
                context.Error(JsonBinder.Join(path, "selector"), "from: Selector needs a selector", "add selector: {matchLabels: {...}}");
                break;
            case ConsistentHashSettings hash:
                BalancingValidator.ValidateConsistentHash(hash, path, context);
                break;
            case LoadBalancerSettings { Simple: not null, ConsistentHash: not null }:
                context.Error(JsonBinder.Join(path, "consistentHash"), "simple and consistentHash are exclusive", "keep one of simple, consistentHash");
                break;
            case ServiceEntrySpec entry:
                BalancingValidator.ValidateEndpointWeights(entry, path, context);
                break;
            case LoadBalancerSettings { Simple: { } simple } when ServiceEntryChecks.LoadBalancing(simple) is null:
                context.Error(
                    JsonBinder.Join(path, "simple"),
                    simple.Equals("PASSTHROUGH", StringComparison.OrdinalIgnoreCase) ? "'PASSTHROUGH' is not supported: the gateway has no original destination to pass requests through to" : $"'{simple}' is not a valid value",
                    $"use one of: {ServiceEntryChecks.LoadBalancerNames}");
                break;
            case TcpConnectionPoolSettings tcp:
                ValidatePositive(tcp.ConnectTimeout, JsonBinder.Join(path, "connectTimeout"), "2s", context);
                ValidatePositive(tcp.MaxConnectionDuration, JsonBinder.Join(path, "maxConnectionDuration"), "1h", context);
                ValidatePositive(tcp.IdleTimeout, JsonBinder.Join(path, "idleTimeout"), "1m", context);
                break;
            case HttpConnectionPoolSettings http:
                ValidatePositive(http.IdleTimeout, JsonBinder.Join(path, "idleTimeout"), "1m", context);
                break;
            case OutlierDetection outlier:
                ValidatePositive(outlier.Interval, JsonBinder.Join(path, "interval"), "10s", context);
                ValidatePositive(outlier.BaseEjectionTime, JsonBinder.Join(path, "baseEjectionTime"), "30s", context);
                break;
            case HealthCheck check:
                ValidatePositive(check.Interval, JsonBinder.Join(path, "interval"), "10s", context);
                ValidatePositive(check.Timeout, JsonBinder.Join(path, "timeout"), "2s", context);
                if (!check.Path.StartsWith('/'))
                {
                    context.Error(JsonBinder.Join(path, "path"), $"'{check.Path}' does not start with '/'", "write an absolute path such as /healthz");
                }

                break;
            case ClientTlsSettings tls when !TlsModes.Contains(tls.Mode):
                context.Error(JsonBinder.Join(path, "mode"), $"'{tls.Mode}' is not a valid value", $"use one of: {string.Join(", ", TlsModes)}");
                break;
            case GatewaySpec gateway:
                ValidateUniqueNames(gateway.Listeners.Select(l => l.Name), JsonBinder.Join(path, "listeners"), context);
                break;
            case HigressGatewaySpec gateway:
                ValidateUniqueNames(gateway.Listeners.Select(l => l.Name), JsonBinder.Join(path, "listeners"), context);
                break;
            case ExtensionSpec { PluginName: null } extension:
                context.Error(JsonBinder.Join(path, "plugin"), "cannot tell which plugin this is", extension.Config is null ? "set spec.plugin (and spec.config)" : "set spec.plugin, or give config exactly one top-level key such as jwt");
                break;
            case WasmPluginSpec wasm when wasm.Url.Length > 0 && wasm.EffectivePluginName.Length == 0:
                context.Error(JsonBinder.Join(path, "url"), $"no plugin name in '{wasm.Url}'", "use an image url ending in /<plugin-name>:<tag>");
                break;
            case Secret secret:
                foreach (var (key, value) in secret.Data)
                {
                    if (!IsBase64(value))
                    {
                        context.Error($"data.{key}", "the value is not valid base64", "base64-encode the value, or move it to stringData");
                    }
                }

                break;
        }
    }

    private static void ValidatePositive(TimeSpan? value, string path, string example, BindContext context)
    {
        if (value is { } duration && duration <= TimeSpan.Zero)
        {
            context.Error(path, duration == TimeSpan.Zero ? "a zero duration makes no sense here" : "a negative duration makes no sense here", $"use a duration above zero such as {example}, or remove the field for the default");
        }
    }

    private static void ValidatePath(HttpPathMatch p, string path, BindContext context)
    {
        var valuePath = JsonBinder.Join(path, "value");
        if (p.Type == PathMatchType.RegularExpression)
        {
            ValidateRegex(p.Value, valuePath, context);
        }
        else if (!p.Value.StartsWith('/'))
        {
            context.Error(valuePath, $"'{p.Value}' does not start with '/'", "write an absolute path such as /orders");
        }
    }

    private static void ValidateFilter(HttpRouteFilter f, string path, BindContext context)
    {
        object?[] fields = [f.RequestHeaderModifier, f.ResponseHeaderModifier, f.RequestRedirect, f.UrlRewrite, f.RequestMirror, f.ExtensionRef, f.Cors];
        string[] names = ["requestHeaderModifier", "responseHeaderModifier", "requestRedirect", "urlRewrite", "requestMirror", "extensionRef", "cors"];
        var expected = (int)f.Type;
        if (fields[expected] is null)
        {
            context.Error(JsonBinder.Join(path, names[expected]), $"type {JsonBinder.EnumWireName(f.Type)} needs '{names[expected]}'", $"set {names[expected]}");
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (i != expected && fields[i] is not null)
            {
                context.Error(JsonBinder.Join(path, names[i]), $"'{names[i]}' does not belong to type {JsonBinder.EnumWireName(f.Type)}", "remove it, or change type");
            }
        }

        if (f.RequestMirror is { } mirror)
        {
            var mirrorPath = JsonBinder.Join(path, "requestMirror");
            if (mirror is { Percent: not null, Fraction: not null })
            {
                context.Error(JsonBinder.Join(mirrorPath, "fraction"), "percent and fraction are both set", "keep one of them");
            }

            if (mirror.Fraction is { } fraction && fraction.Numerator > fraction.Denominator)
            {
                context.Error(JsonBinder.Join(mirrorPath, "fraction.numerator"), $"{fraction.Numerator} is above the denominator {fraction.Denominator}", "use a numerator between 0 and the denominator");
            }
        }
    }

    private static void ValidateRateLimitKey(string key, string path, BindContext context)
    {
        var ok = key is "ip" or "consumer" or "none"
            || (key.StartsWith("header:", StringComparison.Ordinal) && key.Length > 7)
            || (key.StartsWith("query:", StringComparison.Ordinal) && key.Length > 6);
        if (!ok)
        {
            context.Error(path, $"'{key}' is not a valid rate-limit key", "use ip, header:<name>, query:<name>, consumer or none");
        }
    }

    private static void ValidateCanary(RouteCanary canary, string path, BindContext context)
    {
        if (canary.Route.IsEmpty)
        {
            context.Error(JsonBinder.Join(path, "route"), "a canary needs at least one destination", "add route: [{destination: {host: ..., port: ...}}]");
        }

        foreach (var (value, name) in new[] { (canary.ByHeaderValue, "byHeaderValue"), (canary.ByHeaderPattern, "byHeaderPattern") })
        {
            if (value is not null && canary.ByHeader is null)
            {
                context.Error(JsonBinder.Join(path, name), $"{name} is set without byHeader", $"set byHeader to the header's name or remove {name}");
            }
        }

        if (canary.ByHeaderValue is not null && canary.ByHeaderPattern is not null)
        {
            context.Error(JsonBinder.Join(path, "byHeaderPattern"), "byHeaderValue and byHeaderPattern are exclusive", "keep one of byHeaderValue, byHeaderPattern");
        }

        if (canary.Weight is { } weight && weight > (canary.WeightTotal ?? 100))
        {
            context.Error(JsonBinder.Join(path, "weight"), $"weight {weight} exceeds weightTotal {canary.WeightTotal ?? 100}", "lower weight or raise weightTotal (default 100)");
        }

        ValidateRegex(canary.ByHeaderPattern, JsonBinder.Join(path, "byHeaderPattern"), context);
    }

    private static void ValidateRegex(string? pattern, string path, BindContext context)
    {
        if (pattern is not null && RegexCache.Validate(pattern) is { } problem)
        {
            context.Error(path, problem.Message, problem.Fix);
        }
    }

    private static void ValidateUniqueNames(IEnumerable<string> names, string path, BindContext context)
    {
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            context.Error(path, $"two listeners are named '{duplicate.Key}'", "give each listener a unique name (or port)");
        }
    }

    // Istio refuses zero for the pool's durations (at least 1ms); a zero here would silently mean "no timeout".
    private static bool IsBase64(string value)
    {
        Span<byte> buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
