using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Higress.Opa.Values;

/// <summary>Conversions between Rego values and JSON / plain .NET values.</summary>
public static class RegoConvert
{
    /// <summary>Converts a JSON element.</summary>
    public static RegoValue FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return RegoNull.Instance;
            case JsonValueKind.True:
                return RegoBoolean.True;
            case JsonValueKind.False:
                return RegoBoolean.False;
            case JsonValueKind.Number:
                if (element.TryGetInt64(out long l))
                {
                    return RegoNumber.FromInt64(l);
                }
                return RegoNumber.TryParse(element.GetRawText()) ?? throw new FormatException("invalid number " + element.GetRawText());
            case JsonValueKind.String:
                return RegoString.Create(element.GetString()!);
            case JsonValueKind.Array:
            {
                var items = new RegoValue[element.GetArrayLength()];
                int i = 0;
                foreach (var e in element.EnumerateArray())
                {
                    items[i++] = FromJson(e);
                }
                return RegoArray.Wrap(items);
            }
            default:
            {
                var keys = new List<RegoValue>();
                var values = new List<RegoValue>();
                foreach (var p in element.EnumerateObject())
                {
                    keys.Add(RegoString.Create(p.Name));
                    values.Add(FromJson(p.Value));
                }
                return RegoObject.FromUnsorted(keys.ToArray(), values.ToArray(), keys.Count);
            }
        }
    }

    /// <summary>Parses JSON text.</summary>
    public static RegoValue ParseJson(string json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 1000 });
        return FromJson(doc.RootElement);
    }

    /// <summary>Parses UTF-8 JSON bytes.</summary>
    public static RegoValue ParseJson(ReadOnlyMemory<byte> utf8Json)
    {
        using var doc = JsonDocument.Parse(utf8Json, new JsonDocumentOptions { MaxDepth = 1000 });
        return FromJson(doc.RootElement);
    }

    /// <summary>Writes a value as JSON. Sets become arrays; non-string object keys are written as their JSON text.</summary>
    public static void WriteJson(RegoValue value, Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case RegoNull:
                writer.WriteNullValue();
                break;
            case RegoBoolean b:
                writer.WriteBooleanValue(b.Value);
                break;
            case RegoNumber n:
                if (n.TryGetInt64(out long l) && n.IsExactInteger && !n.HasLiteralText)
                {
                    writer.WriteNumberValue(l);
                }
                else
                {
                    writer.WriteRawValue(n.ToText(), skipInputValidation: true);
                }
                break;
            case RegoString s:
                writer.WriteStringValue(s.Value);
                break;
            case RegoArray a:
                writer.WriteStartArray();
                foreach (var e in a.AsSpan())
                {
                    WriteJson(e, writer);
                }
                writer.WriteEndArray();
                break;
            case RegoSet set:
                writer.WriteStartArray();
                foreach (var e in set.AsSpan())
                {
                    WriteJson(e, writer);
                }
                writer.WriteEndArray();
                break;
            case RegoObject o:
                writer.WriteStartObject();
                var keys = o.Keys;
                var values = o.Values;
                for (int i = 0; i < keys.Length; i++)
                {
                    writer.WritePropertyName(KeyText(keys[i]));
                    WriteJson(values[i], writer);
                }
                writer.WriteEndObject();
                break;
        }
    }

    private static string KeyText(RegoValue key) => key is RegoString s ? s.Value : ToJson(key);

    /// <summary>Serializes a value to JSON text.</summary>
    public static string ToJson(RegoValue value)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            WriteJson(value, w);
        }
        return System.Text.Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    /// <summary>Converts a value to a detached <see cref="JsonElement"/>.</summary>
    public static JsonElement ToJsonElement(RegoValue value)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            WriteJson(value, w);
        }
        using var doc = JsonDocument.Parse(ms.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>Converts a plain .NET value to a Rego value.</summary>
    public static RegoValue FromObject(object? value)
    {
        switch (value)
        {
            case null: return RegoNull.Instance;
            case RegoValue v: return v;
            case bool b: return b ? RegoBoolean.True : RegoBoolean.False;
            case string s: return RegoString.Create(s);
            case char c: return RegoString.Create(c.ToString());
            case int i: return RegoNumber.FromInt64(i);
            case long l: return RegoNumber.FromInt64(l);
            case short sh: return RegoNumber.FromInt64(sh);
            case byte by: return RegoNumber.FromInt64(by);
            case sbyte sb: return RegoNumber.FromInt64(sb);
            case ushort us: return RegoNumber.FromInt64(us);
            case uint ui: return RegoNumber.FromInt64(ui);
            case ulong ul: return RegoNumber.FromBigInteger(ul);
            case BigInteger bi: return RegoNumber.FromBigInteger(bi);
            case double d: return RegoNumber.FromDouble(d);
            case float f: return RegoNumber.FromDouble(f);
            case decimal m: return RegoNumber.FromDecimal(m);
            case JsonElement je: return FromJson(je);
            case JsonDocument jd: return FromJson(jd.RootElement);
            case System.Text.Json.Nodes.JsonNode node: return ParseJson(node.ToJsonString());
            case DateTimeOffset dto: return RegoString.Create(dto.ToString("O", CultureInfo.InvariantCulture));
            case DateTime dt: return RegoString.Create(dt.ToString("O", CultureInfo.InvariantCulture));
            case Guid g: return RegoString.Create(g.ToString());
            case Enum e: return RegoString.Create(e.ToString());
            case IDictionary dict:
            {
                var keys = new List<RegoValue>();
                var values = new List<RegoValue>();
                foreach (DictionaryEntry de in dict)
                {
                    keys.Add(FromObject(de.Key));
                    values.Add(FromObject(de.Value));
                }
                return RegoObject.FromUnsorted(keys.ToArray(), values.ToArray(), keys.Count);
            }
            case IEnumerable<KeyValuePair<string, object?>> kvs:
            {
                var keys = new List<RegoValue>();
                var values = new List<RegoValue>();
                foreach (var kv in kvs)
                {
                    keys.Add(RegoString.Create(kv.Key));
                    values.Add(FromObject(kv.Value));
                }
                return RegoObject.FromUnsorted(keys.ToArray(), values.ToArray(), keys.Count);
            }
            case IEnumerable en:
            {
                var items = new List<RegoValue>();
                foreach (var o in en)
                {
                    items.Add(FromObject(o));
                }
                return RegoArray.Wrap(items.ToArray());
            }
            default:
                return FromJson(JsonSerializer.SerializeToElement(value, value.GetType()));
        }
    }

    /// <summary>Converts to plain .NET values: null, bool, long, BigInteger, double, string, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;.</summary>
    public static object? ToObject(RegoValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case RegoNull: return null;
            case RegoBoolean b: return b.Value;
            case RegoNumber n:
                if (n.IsExactInteger)
                {
                    return n.TryGetInt64(out long l) ? (object)l : n.ToBig();
                }
                return n.ToDouble();
            case RegoString s: return s.Value;
            case RegoArray a: return a.Select(ToObject).ToList();
            case RegoSet set: return set.Select(ToObject).ToList();
            default:
            {
                var o = (RegoObject)value;
                var d = new Dictionary<string, object?>(o.Count, StringComparer.Ordinal);
                var keys = o.Keys;
                var values = o.Values;
                for (int i = 0; i < keys.Length; i++)
                {
                    d[KeyText(keys[i])] = ToObject(values[i]);
                }
                return d;
            }
        }
    }
}
