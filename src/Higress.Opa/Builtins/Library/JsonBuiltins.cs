using System.Globalization;
using System.Text;
using System.Text.Json;
using Higress.Opa.Loading;
using Higress.Opa.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace Higress.Opa.Builtins.Library;

internal static class JsonBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("json.marshal", (a, _) => RegoString.Create(Marshal(a, null, null)));
        r.Register2("json.marshal_with_options", (a, b, _) => MarshalWithOptions(a, Operand.AsObject(b, 2)));
        r.Register1("json.unmarshal", (a, _) => Unmarshal(Operand.AsString(a, 1)));
        r.Register1("json.is_valid", (a, _) =>
        {
            if (a is not RegoString s)
            {
                return RegoBoolean.False;
            }
            try
            {
                using var doc = JsonDocument.Parse(s.Value);
                return RegoBoolean.True;
            }
            catch (JsonException)
            {
                return RegoBoolean.False;
            }
        });
        r.Register1("yaml.marshal", (a, _) => RegoString.Create(YamlMarshal(a)));
        r.Register1("yaml.unmarshal", (a, _) => YamlUnmarshal(Operand.AsString(a, 1)));
        r.Register1("yaml.is_valid", (a, _) =>
        {
            if (a is not RegoString s)
            {
                return RegoBoolean.False;
            }
            try
            {
                YamlUnmarshal(s.Value);
                return RegoBoolean.True;
            }
            catch (BuiltinException)
            {
                return RegoBoolean.False;
            }
        });
    }

    internal static RegoValue Unmarshal(string s)
    {
        try
        {
            return RegoConvert.ParseJson(s);
        }
        catch (JsonException e)
        {
            throw BuiltinException.Error(e.Message);
        }
    }

    private static RegoString MarshalWithOptions(RegoValue a, RegoObject opts)
    {
        bool? pretty = null;
        string? prefix = null, indent = null;
        foreach (var kv in opts)
        {
            string key = kv.Key is RegoString ks ? ks.Value : kv.Key.ToString();
            switch (key)
            {
                case "pretty":
                    pretty = kv.Value is RegoBoolean pb ? pb.Value : throw BuiltinException.TypeError("pretty option must be a boolean");
                    break;
                case "prefix":
                    prefix = kv.Value is RegoString ps ? ps.Value : throw BuiltinException.TypeError("prefix option must be a string");
                    break;
                case "indent":
                    indent = kv.Value is RegoString ins ? ins.Value : throw BuiltinException.TypeError("indent option must be a string");
                    break;
                default:
                    throw BuiltinException.TypeError($"object contained unknown key \"{key}\"");
            }
        }
        bool doPretty = pretty ?? (prefix is not null || indent is not null);
        if (!doPretty)
        {
            return RegoString.Create(Marshal(a, null, null));
        }
        return RegoString.Create(Marshal(a, prefix ?? "", indent ?? "\t"));
    }

    /// <summary>Go encoding/json style output (HTML-escaped, sorted keys). With an indent, MarshalIndent layout with the prefix also at the start.</summary>
    internal static string Marshal(RegoValue v, string? prefix, string? indent)
    {
        var sb = new StringBuilder();
        if (indent is not null)
        {
            sb.Append(prefix);
        }
        Write(sb, v, prefix, indent, 0);
        return sb.ToString();
    }

    private static void NewLine(StringBuilder sb, string? prefix, string indent, int depth)
    {
        sb.Append('\n').Append(prefix);
        for (int i = 0; i < depth; i++)
        {
            sb.Append(indent);
        }
    }

    private static void Write(StringBuilder sb, RegoValue v, string? prefix, string? indent, int depth)
    {
        switch (v)
        {
            case RegoNull:
                sb.Append("null");
                break;
            case RegoBoolean b:
                sb.Append(b.Value ? "true" : "false");
                break;
            case RegoNumber n:
                sb.Append(n.ToText());
                break;
            case RegoString s:
                Quote(sb, s.Value);
                break;
            case RegoArray or RegoSet:
                var items = v is RegoArray arr ? arr.AsSpan() : ((RegoSet)v).AsSpan();
                sb.Append('[');
                for (int i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    if (indent is not null)
                    {
                        NewLine(sb, prefix, indent, depth + 1);
                    }
                    Write(sb, items[i], prefix, indent, depth + 1);
                }
                if (indent is not null && items.Length > 0)
                {
                    NewLine(sb, prefix, indent, depth);
                }
                sb.Append(']');
                break;
            case RegoObject o:
                var pairs = o.Select(kv => (Key: kv.Key is RegoString ks ? ks.Value : kv.Key.ToString(), kv.Value))
                    .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                sb.Append('{');
                for (int i = 0; i < pairs.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }
                    if (indent is not null)
                    {
                        NewLine(sb, prefix, indent, depth + 1);
                    }
                    Quote(sb, pairs[i].Key);
                    sb.Append(indent is not null ? ": " : ":");
                    Write(sb, pairs[i].Value, prefix, indent, depth + 1);
                }
                if (indent is not null && pairs.Count > 0)
                {
                    NewLine(sb, prefix, indent, depth);
                }
                sb.Append('}');
                break;
        }
    }

    internal static void Quote(StringBuilder sb, string s) => Values.RegoString.AppendQuoted(sb, s, escapeHtml: true);

    internal static RegoValue YamlUnmarshal(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            string msg = e.Message;
            int i = msg.IndexOf("did not find", StringComparison.Ordinal);
            if (i >= 0)
            {
                msg = msg[i..];
            }
            long lines = text.Count(c => c == '\n') + (text.EndsWith('\n') ? 0 : 1);
            long line = Math.Max(1, Math.Min(e.Start.Line, lines));
            throw BuiltinException.Error($"yaml: line {line.ToString(CultureInfo.InvariantCulture)}: {msg.TrimEnd('.')}");
        }
        if (stream.Documents.Count == 0)
        {
            return RegoNull.Instance;
        }
        return YamlConverter.Convert(stream.Documents[0].RootNode);
    }

    private static string YamlMarshal(RegoValue v)
    {
        var serializer = new SerializerBuilder().WithQuotingNecessaryStrings().Build();
        return serializer.Serialize(ToPlain(v));
    }

    private static object? ToPlain(RegoValue v) => v switch
    {
        RegoNull => null,
        RegoBoolean b => b.Value,
        RegoNumber n => n.IsInteger && n.TryGetInt64(out long l) ? l : n.ToDouble(),
        RegoString s => s.Value,
        RegoArray a => a.Select(ToPlain).ToList(),
        RegoSet s => s.Select(ToPlain).ToList(),
        RegoObject o => o.ToDictionary(kv => kv.Key is RegoString ks ? ks.Value : kv.Key.ToString(), kv => ToPlain(kv.Value), StringComparer.Ordinal),
        _ => null,
    };
}
