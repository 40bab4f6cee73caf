using Higress.Opa.Values;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// A decision as opa-envoy-plugin defines it: a boolean, or an object with <c>allowed</c> and optionally
/// <c>headers</c> (to the upstream when allowed, to the client when denied), <c>response_headers_to_add</c> (to the
/// client), <c>request_headers_to_remove</c> (from the upstream request), <c>http_status</c> and <c>body</c> (of a
/// denial). An undefined decision denies.
/// </summary>
internal sealed record OpaDecision(
    bool Allowed,
    int Status,
    string? Body,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders,
    IReadOnlyList<string> RequestHeadersToRemove)
{
    private static readonly KeyValuePair<string, string>[] NoHeaders = [];

    /// <summary>Allow, nothing else.</summary>
    public static OpaDecision Allow { get; } = new(true, 0, null, NoHeaders, NoHeaders, []);

    /// <summary>Deny with 403.</summary>
    public static OpaDecision Deny { get; } = new(false, 403, null, NoHeaders, NoHeaders, []);

    /// <summary>"allow", "deny" or "undefined", for the decision log.</summary>
    public string Result => Allowed ? "allow" : "deny";

    /// <summary>Reads a decision value; null (undefined) denies. Throws <see cref="FormatException"/> for a value of another shape.</summary>
    public static OpaDecision From(RegoValue? value) => value switch
    {
        null => Deny,
        RegoBoolean b => b.Value ? Allow : Deny,
        RegoObject o => FromObject(o),
        _ => throw new FormatException($"the decision is a {value.TypeName}; return a boolean or an object with 'allowed'"),
    };

    private static OpaDecision FromObject(RegoObject decision)
    {
        if (!decision.TryGetValue("allowed", out var allowedValue) || allowedValue is not RegoBoolean allowed)
        {
            throw new FormatException("the decision object has no boolean 'allowed'; add allowed := true or false");
        }

        var status = 403;
        if (decision.TryGetValue("http_status", out var statusValue))
        {
            if (statusValue is not RegoNumber number || !number.TryGetInt32(out status) || status is < 100 or > 599)
            {
                throw new FormatException($"'http_status' must be a status code (100-599), not {statusValue}");
            }
        }

        string? body = null;
        if (decision.TryGetValue("body", out var bodyValue))
        {
            body = bodyValue is RegoString s ? s.Value : throw new FormatException("'body' must be a string");
        }

        return new OpaDecision(
            allowed.Value,
            status,
            body,
            HeaderList(decision, "headers"),
            HeaderList(decision, "response_headers_to_add"),
            Names(decision, "request_headers_to_remove"));
    }

    // opa-envoy-plugin accepts a header's value as a string or an array of strings (one header line per item).
    private static IReadOnlyList<KeyValuePair<string, string>> HeaderList(RegoObject decision, string field)
    {
        if (!decision.TryGetValue(field, out var value))
        {
            return NoHeaders;
        }

        if (value is not RegoObject headers)
        {
            throw new FormatException($"'{field}' must be an object of header names to values");
        }

        var list = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var (name, headerValue) in headers)
        {
            var key = name is RegoString n ? n.Value : throw new FormatException($"'{field}' has a header name that is not a string");
            switch (headerValue)
            {
                case RegoString one:
                    list.Add(new(key, one.Value));
                    break;
                case RegoArray many:
                    foreach (var item in many)
                    {
                        list.Add(new(key, item is RegoString text ? text.Value : throw new FormatException($"'{field}.{key}' has a value that is not a string")));
                    }

                    break;
                default:
                    throw new FormatException($"'{field}.{key}' must be a string or an array of strings");
            }
        }

        return list;
    }

    private static IReadOnlyList<string> Names(RegoObject decision, string field)
    {
        if (!decision.TryGetValue(field, out var value))
        {
            return [];
        }

        var items = value switch
        {
            RegoArray array => array.AsSpan().ToArray(),
            RegoSet set => set.AsSpan().ToArray(),
            _ => throw new FormatException($"'{field}' must be an array of header names"),
        };
        return [.. items.Select(i => i is RegoString s ? s.Value : throw new FormatException($"'{field}' has a name that is not a string"))];
    }
}
