using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Splits YAML text into documents and converts each to a <see cref="JsonNode"/>, resolving plain scalars with the
/// YAML 1.2 core schema (quoted scalars stay strings; <c>true</c>/<c>false</c>, integers, floats, <c>null</c>/<c>~</c>).
/// Each document is parsed on its own so that a broken one does not take its neighbours down.
/// </summary>
internal static partial class YamlDocuments
{
    private const int MaxDepth = 100;

    /// <summary>One document: its JSON, or the reason it could not be read.</summary>
    public readonly record struct Document(JsonNode? Json, string? Error);

    public static IReadOnlyList<Document> Parse(string text)
    {
        var documents = new List<Document>();
        foreach (var (chunk, firstLine) in Split(text))
        {
            if (IsBlank(chunk))
            {
                continue;
            }

            try
            {
                var stream = new YamlStream();
                stream.Load(new StringReader(chunk));
                foreach (var document in stream.Documents)
                {
                    documents.Add(new Document(Convert(document.RootNode, 0), null));
                }
            }
            catch (YamlException ex)
            {
                var line = ex.Start.Line + firstLine - 1;
                var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
                message = MarkPrefix().Replace(message, string.Empty);
                documents.Add(new Document(null, $"not valid YAML at line {line}, column {ex.Start.Column}: {message}"));
            }
            catch (InvalidOperationException ex)
            {
                documents.Add(new Document(null, $"not valid YAML: {ex.Message}"));
            }
        }

        return documents;
    }

    private static IEnumerable<(string Chunk, int FirstLine)> Split(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var current = new List<string>();
        var firstLine = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var isStart = line == "---" || line.StartsWith("--- ", StringComparison.Ordinal) || line.StartsWith("---\t", StringComparison.Ordinal);
            if (isStart || line == "...")
            {
                yield return (string.Join('\n', current), firstLine);
                current.Clear();
                firstLine = i + 1;
                if (isStart && line.Length > 3)
                {
                    current.Add("   " + line[3..]);
                }
                else
                {
                    // Keep line numbers aligned with the file.
                    current.Add(string.Empty);
                }

                continue;
            }

            current.Add(line);
        }

        yield return (string.Join('\n', current), firstLine);
    }

    private static bool IsBlank(string chunk) =>
        chunk.Split('\n').All(l => l.TrimStart().Length == 0 || l.TrimStart().StartsWith('#') || l.TrimStart().StartsWith('%'));

    private static JsonNode? Convert(YamlNode node, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException("the document nests too deeply (recursive anchors?)");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    var name = key is YamlScalarNode s ? s.Value ?? string.Empty : throw new InvalidOperationException($"a mapping key at line {key.Start.Line} is not a plain value");
                    obj[name] = Convert(value, depth + 1);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, depth + 1));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style != ScalarStyle.Plain || tag is "tag:yaml.org,2002:str")
        {
            return JsonValue.Create(value);
        }

        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (JsonNumber().IsMatch(value))
        {
            // Keeps the number's text (1.10 stays 1.10 when bound to a string field).
            return JsonNode.Parse(value);
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (value.StartsWith("0o", StringComparison.Ordinal))
        {
            try
            {
                return JsonValue.Create(System.Convert.ToInt64(value[2..], 8));
            }
            catch (FormatException)
            {
                return JsonValue.Create(value);
            }
        }

        if (YamlFloat().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
