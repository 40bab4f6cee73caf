using System.Text.Json;
using Higress.Core.Plan;

namespace Higress.Core.Plugins.BuiltIn.CustomResponse;

/// <summary>Reads and validates a <c>custom-response</c> config, reporting every problem at once.</summary>
internal static class CustomResponseConfigParser
{
    private const string KnownFields = "status_code, headers, body, enable_on_status";

    public static CustomResponseConfig Parse(JsonElement config, PluginConfigContext context)
    {
        var result = new CustomResponseConfig();
        if (config.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return result;
        }

        if (config.ValueKind != JsonValueKind.Object)
        {
            context.AddError(string.Empty, $"must be an object, not {Describe(config)}", "write the config as {status_code: ..., headers: [...], body: ...}");
            return result;
        }

        foreach (var property in config.EnumerateObject())
        {
            switch (property.Name)
            {
                case "status_code":
                    result = result with { StatusCode = ReadStatus(property.Value, "status_code", context) ?? 200 };
                    break;
                case "headers":
                    result = result with { Headers = ReadHeaders(property.Value, context) };
                    break;
                case "body":
                    if (property.Value.ValueKind == JsonValueKind.String)
                    {
                        result = result with { Body = property.Value.GetString() };
                    }
                    else if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        context.AddError("body", $"must be a string, not {Describe(property.Value)}", "quote the body; JSON bodies are written as an escaped string");
                    }

                    break;
                case "enable_on_status":
                    result = result with { EnableOnStatus = ReadStatusList(property.Value, context) };
                    break;
                case "rules":
                    context.AddError("rules", "the multi-rule form of custom-response is not supported yet", "use one Extension per response with status_code, headers, body and enable_on_status");
                    break;
                default:
                    context.AddError(property.Name, "is not a custom-response field", $"remove it or fix its spelling; the fields are {KnownFields}");
                    break;
            }
        }

        return result with { DefaultContentType = DefaultContentType(result) };
    }

    // Higress adds a content type when the headers name none: JSON when the body parses as JSON, else text.
    private static string? DefaultContentType(CustomResponseConfig config)
    {
        if (string.IsNullOrEmpty(config.Body) || config.Headers.Any(h => string.Equals(h.Name, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(config.Body);
            return "application/json; charset=utf-8";
        }
        catch (JsonException)
        {
            return "text/plain; charset=utf-8";
        }
    }

    private static int? ReadStatus(JsonElement value, string path, PluginConfigContext context)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var status) && status is >= 100 and <= 599)
        {
            return status;
        }

        context.AddError(path, $"{value.GetRawText()} is not an HTTP status code", "use a whole number from 100 to 599");
        return null;
    }

    private static int[] ReadStatusList(JsonElement value, PluginConfigContext context)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            context.AddError("enable_on_status", $"must be a list of status codes, not {Describe(value)}", "write e.g. enable_on_status: [429]");
            return [];
        }

        var statuses = new List<int>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (ReadStatus(item, $"enable_on_status[{index}]", context) is { } status)
            {
                statuses.Add(status);
            }

            index++;
        }

        return [.. statuses];
    }

    private static HeaderValue[] ReadHeaders(JsonElement value, PluginConfigContext context)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            context.AddError("headers", $"must be a list of \"key=value\" strings, not {Describe(value)}", "write e.g. headers: [\"Content-Type=application/json\"]");
            return [];
        }

        var headers = new List<HeaderValue>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var path = $"headers[{index++}]";
            var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
            var separator = text?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (text is null || separator <= 0 || text[..separator].Trim().Length == 0)
            {
                context.AddError(path, $"{item.GetRawText()} is not a \"key=value\" header", "separate the header name and value with '=', e.g. \"Hello=World\"");
                continue;
            }

            var name = text[..separator].Trim();
            if (name.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                context.AddError(path, $"'{name}' is not a valid header name", "use letters, digits and '-' only");
                continue;
            }

            headers.Add(new HeaderValue(name, text[(separator + 1)..].Trim()));
        }

        return [.. headers];
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
