using System.Text.Json.Nodes;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Splits YAML text into documents and converts each to a <see cref="JsonNode"/> (see <see cref="YamlEventReader"/>
/// and <see cref="YamlScalars"/>). Each document is parsed on its own so that a broken one does not take its
/// neighbours down; line numbers in errors are the file's.
/// </summary>
internal static class YamlDocuments
{
    /// <summary>One document: its JSON, or the reason it could not be read.</summary>
    public readonly record struct Document(JsonNode? Json, SyntaxError? Error);

    public static IReadOnlyList<Document> Parse(string text)
    {
        var documents = new List<Document>();
        foreach (var (chunk, firstLine) in Split(text))
        {
            if (IsBlank(chunk))
            {
                continue;
            }

            var reader = new YamlEventReader(chunk, firstLine - 1);
            try
            {
                documents.AddRange(reader.ReadDocuments().Select(json => new Document(json, null)));
            }
            catch (Exception ex) when (ex is YamlDotNet.Core.YamlException or InvalidDocumentException or InvalidOperationException)
            {
                documents.Add(new Document(null, YamlErrors.Describe(ex, chunk, reader)));
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
}
