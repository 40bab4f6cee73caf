using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Higress.Core.Plan;

namespace Higress.Hosting.Admin;

/// <summary>
/// What is secret when configuration is printed, in one place: fields named like a password, secret, token, key,
/// credential or JSON Web Key Set (jwt-auth's `jwks` may hold oct keys; inside plugin configs too), and the values of sensitive headers (<see cref="IsSensitiveHeader"/>) that
/// routes set, add or match.
/// </summary>
internal static partial class Redaction
{
    public const string Redacted = "<redacted>";

    /// <summary>
    /// True for headers whose values are credentials: <c>authorization</c>, <c>proxy-authorization</c>,
    /// <c>cookie</c>, <c>set-cookie</c>, and names containing <c>token</c>, <c>secret</c>, <c>key</c>,
    /// <c>password</c> or <c>credential</c>. Query parameter names follow the same rule.
    /// </summary>
    public static bool IsSensitiveHeader(string name) => SensitiveHeader().IsMatch(name);

    /// <summary>
    /// A serializer modifier that prints sensitive header (and query parameter) values as <see cref="Redacted"/>,
    /// wherever a plan carries them: header edits and header or query matches.
    /// </summary>
    public static void HideSensitiveHeaderValues(JsonTypeInfo info)
    {
        if (info.Type == typeof(HeaderValue))
        {
            ReplaceValue(info, o => (HeaderValue)o is var h && IsSensitiveHeader(h.Name) ? Redacted : h.Value);
        }
        else if (info.Type == typeof(NamedValueMatch))
        {
            ReplaceValue(info, o => (NamedValueMatch)o is var m && IsSensitiveHeader(m.Name) ? Redacted : m.Value);
        }
    }

    /// <summary>Replaces secret-looking values in a serialized tree, including inside plugin configs carried as JSON text.</summary>
    public static void Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "configJson" && value is JsonValue text && text.TryGetValue<string>(out var json))
                    {
                        JsonNode? parsed;
                        try
                        {
                            parsed = JsonNode.Parse(json);
                        }
                        catch (JsonException)
                        {
                            parsed = null;
                        }

                        Redact(parsed);
                        obj.Remove(name);
                        obj["config"] = parsed;
                    }
                    else if (SecretField().IsMatch(name))
                    {
                        obj[name] = RedactAll(value);
                    }
                    else
                    {
                        Redact(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Redact(item);
                }

                break;
        }
    }

    private static void ReplaceValue(JsonTypeInfo info, Func<object, string> value)
    {
        foreach (var property in info.Properties)
        {
            if (property.Name == "value")
            {
                property.Get = value;
            }
        }
    }

    private static JsonNode? RedactAll(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => new JsonArray(array.Select(RedactAll).ToArray()),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, RedactAll(p.Value)))),
        _ => JsonValue.Create(Redacted),
    };

    [GeneratedRegex("password|secret|token|credential|private|api[-_]?key|authorization|cookie|^data$|^stringData$|^jwks$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();

    [GeneratedRegex("^(proxy-)?authorization$|^(set-)?cookie$|token|secret|key|password|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveHeader();
}
