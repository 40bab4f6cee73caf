using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>http.send: validated like OPA; performs the request only when the evaluation allows network access.</summary>
internal static class HttpBuiltins
{
    private static readonly HashSet<string> AllowedKeys = new(StringComparer.Ordinal)
    {
        "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body",
        "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert",
        "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file",
        "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache",
        "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers",
    };

    private static readonly Lazy<HttpClient> SharedClient = new(() => new HttpClient());

    public static void Register(BuiltinRegistry r)
    {
        r.Register1("http.send", (a, ctx) => Send(Operand.AsObject(a, 1), ctx), BuiltinFlags.Nondeterministic);
    }

    private static RegoValue Send(RegoObject req, BuiltinContext ctx)
    {
        var invalid = req.Keys.ToArray().Select(k => k is RegoString s ? s.Value : k.ToString())
            .Where(k => !AllowedKeys.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (invalid.Count > 0)
        {
            throw BuiltinException.TypeError("invalid request parameters(s): {" + string.Join(", ", invalid.Select(k => "\"" + k + "\"")) + "}");
        }
        var missing = new[] { "method", "url" }.Where(k => !req.ContainsKey(RegoString.Create(k))).ToList();
        if (missing.Count > 0)
        {
            throw BuiltinException.TypeError("missing required request parameters(s): {" + string.Join(", ", missing.Select(k => "\"" + k + "\"")) + "}");
        }
        if (!ctx.AllowNetwork)
        {
            throw BuiltinException.Error("network access is disabled for this evaluation (EvaluationOptions do not allow network)");
        }
        var cacheKey = ("http.send", (RegoValue)req);
        if (ctx.Cache.TryGetValue(cacheKey, out var cached) && cached is RegoValue hit)
        {
            return hit;
        }
        bool raiseError = req.Get("raise_error") is not RegoBoolean { Value: false };
        RegoValue result;
        try
        {
            result = Execute(req, ctx);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or UriFormatException)
        {
            // A cancelled or out-of-budget evaluation is not a network error: raise the limit error instead.
            ctx.CheckLimits();
            if (raiseError)
            {
                throw BuiltinException.Error(e.Message);
            }
            result = RegoObject.Create(new KeyValuePair<string, RegoValue>[]
            {
                new("status_code", RegoNumber.Zero),
                new("error", RegoObject.Create(new KeyValuePair<string, RegoValue>[]
                {
                    new("code", RegoString.Create("eval_http_send_network_error")),
                    new("message", RegoString.Create(e.Message)),
                })),
            });
        }
        ctx.Cache[cacheKey] = result;
        return result;
    }

    private static RegoObject Execute(RegoObject req, BuiltinContext ctx)
    {
        string method = Operand.AsString(req.Get("method")!, 1).ToUpperInvariant();
        string url = Operand.AsString(req.Get("url")!, 1);
        using var msg = new HttpRequestMessage(new HttpMethod(method), url);
        if (req.Get("raw_body") is RegoString raw)
        {
            msg.Content = new StringContent(raw.Value, Encoding.UTF8);
        }
        else if (req.Get("body") is { } body and not RegoNull)
        {
            msg.Content = new StringContent(JsonBuiltins.Marshal(body, null, null), Encoding.UTF8, "application/json");
        }
        if (req.Get("headers") is RegoObject headers)
        {
            foreach (var kv in headers)
            {
                string name = kv.Key is RegoString ks ? ks.Value : kv.Key.ToString();
                string value = kv.Value is RegoString vs ? vs.Value : kv.Value.ToString();
                if (!msg.Headers.TryAddWithoutValidation(name, value) && msg.Content is not null)
                {
                    msg.Content.Headers.Remove(name);
                    msg.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }
        }
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.CancellationToken);
        var remaining = ctx.RemainingTime;
        if (req.Get("timeout") is RegoString ts && TimeSpan.TryParse(ts.Value, CultureInfo.InvariantCulture, out var t) && t < remaining)
        {
            remaining = t;
        }
        if (remaining != TimeSpan.MaxValue)
        {
            cts.CancelAfter(remaining);
        }
        var client = ctx.HttpClient ?? SharedClient.Value;
        // Rego evaluation is synchronous, so the call is too, on this thread's own blocking socket calls. Blocking on
        // SendAsync instead would wait for a socket completion that, with inline socket completions
        // (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1), may be due on the very event thread this evaluation holds.
        using var resp = client.Send(msg, cts.Token);
        string text;
        using (var reader = new StreamReader(resp.Content.ReadAsStream(cts.Token), BodyEncoding(resp.Content.Headers.ContentType), detectEncodingFromByteOrderMarks: true))
        {
            text = reader.ReadToEnd();
        }
        var headerPairs = new Dictionary<string, List<RegoValue>>(StringComparer.Ordinal);
        foreach (var h in resp.Headers.Concat(resp.Content.Headers))
        {
            string key = h.Key.ToLowerInvariant();
            if (!headerPairs.TryGetValue(key, out var list))
            {
                headerPairs[key] = list = [];
            }
            list.AddRange(h.Value.Select(v => (RegoValue)RegoString.Create(v)));
        }
        RegoValue parsed = RegoNull.Instance;
        bool json = req.Get("force_json_decode") is RegoBoolean { Value: true } || IsJson(resp.Content.Headers.ContentType);
        if (json && text.Length > 0)
        {
            try
            {
                parsed = RegoConvert.ParseJson(text);
            }
            catch (JsonException)
            {
                parsed = RegoNull.Instance;
            }
        }
        int code = (int)resp.StatusCode;
        return RegoObject.Create(new KeyValuePair<string, RegoValue>[]
        {
            new("status", RegoString.Create(code.ToString(CultureInfo.InvariantCulture) + " " + resp.ReasonPhrase)),
            new("status_code", RegoNumber.FromInt64(code)),
            new("body", parsed),
            new("raw_body", RegoString.Create(text)),
            new("headers", RegoObject.Create(headerPairs.Select(kv => new KeyValuePair<string, RegoValue>(kv.Key, RegoArray.Create(kv.Value))))),
        });
    }

    // The charset the response names (as ReadAsStringAsync would take it), else UTF-8.
    private static Encoding BodyEncoding(MediaTypeHeaderValue? contentType)
    {
        if (contentType?.CharSet is { Length: > 0 } charset)
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: read as UTF-8.
            }
        }

        return Encoding.UTF8;
    }

    private static bool IsJson(MediaTypeHeaderValue? ct) =>
        ct?.MediaType is { } mt && (mt.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mt.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
