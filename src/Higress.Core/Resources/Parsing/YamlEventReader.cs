using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Converts the YAML parser's events straight to <see cref="JsonNode"/>s. Reading events rather than a loaded
/// <c>YamlStream</c> lets it refuse an alias before copying it (so an alias bomb costs nothing), count nodes
/// against <see cref="ParseLimits"/>, and say which collection was open when the parser gave up.
/// </summary>
internal sealed class YamlEventReader(string text, long lineOffset)
{
    private readonly IParser _parser = new Parser(new StringReader(text));
    private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
    private readonly List<NodeEvent> _open = [];
    private long _nodes;
    private long _aliased;

    /// <summary>The collections being read when reading stopped, outermost first.</summary>
    public IReadOnlyList<NodeEvent> Open => _open;

    /// <summary>The line of the file that line <paramref name="line"/> of the text is.</summary>
    public long FileLine(long line) => line + lineOffset;

    public List<JsonNode?> ReadDocuments()
    {
        var documents = new List<JsonNode?>();
        _parser.Consume<StreamStart>();
        while (!_parser.TryConsume<StreamEnd>(out _))
        {
            _parser.Consume<DocumentStart>();
            _anchors.Clear();
            _nodes = 0;
            _aliased = 0;
            documents.Add(Read(0, out _));
            _parser.Consume<DocumentEnd>();
        }

        return documents;
    }

    private JsonNode? Read(int depth, out long size)
    {
        var current = _parser.Current ?? throw new InvalidOperationException("the YAML parser ended inside a document");
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                var anchored = Resolve(alias);
                size = anchored.Size;
                Count(size, aliased: true, alias.Start);
                return anchored.Node?.DeepClone();
            case Scalar scalar:
                _parser.MoveNext();
                Count(1, aliased: false, scalar.Start);
                size = 1;
                return Remember(scalar, YamlScalars.Convert(scalar), size, scalar.Value);
            case SequenceStart or MappingStart:
                return ReadCollection((NodeEvent)current, depth, out size);
            default:
                throw Error(current.Start, $"unexpected {current.GetType().Name}", "check the document's structure");
        }
    }

    private JsonNode ReadCollection(NodeEvent start, int depth, out long size)
    {
        if (depth >= ParseLimits.MaxDepth)
        {
            throw Error(start.Start, $"the document nests deeper than {ParseLimits.MaxDepth} levels", "flatten the document");
        }

        _parser.MoveNext();
        Count(1, aliased: false, start.Start);
        _open.Add(start);
        size = 1;
        JsonNode node;
        if (start is SequenceStart)
        {
            var array = new JsonArray();
            while (!_parser.TryConsume<SequenceEnd>(out _))
            {
                array.Add(Read(depth + 1, out var itemSize));
                size += itemSize;
            }

            node = array;
        }
        else
        {
            var obj = new JsonObject();
            while (!_parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = _parser.Current!;
                var key = ReadKey();
                if (obj.ContainsKey(key))
                {
                    throw Error(keyEvent.Start, $"duplicate key '{key}' in the mapping that starts at {At(start.Start)}", "remove or rename one of them");
                }

                obj[key] = Read(depth + 1, out var valueSize);
                size += 1 + valueSize;
            }

            node = obj;
        }

        _open.RemoveAt(_open.Count - 1);
        return Remember(start, node, size, null)!;
    }

    private string ReadKey()
    {
        var current = _parser.Current!;
        if (current is Scalar scalar)
        {
            _parser.MoveNext();
            Count(1, aliased: false, scalar.Start);
            Remember(scalar, YamlScalars.Convert(scalar), 1, scalar.Value);
            return scalar.Value;
        }

        if (current is AnchorAlias alias && Resolve(alias).KeyText is { } text)
        {
            _parser.MoveNext();
            Count(1, aliased: true, alias.Start);
            return text;
        }

        throw Error(current.Start, "a mapping key must be a plain value, not a list or a mapping", "write the key as a string");
    }

    private Anchored Resolve(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (_anchors.TryGetValue(name, out var anchored))
        {
            return anchored;
        }

        return _open.Any(e => !e.Anchor.IsEmpty && e.Anchor.Value == name)
            ? throw Error(alias.Start, $"alias '*{name}' is inside the node anchored '&{name}' (a node cannot contain itself)", "remove the alias")
            : throw Error(alias.Start, $"alias '*{name}' names no anchor defined before it in this document", $"define '&{name}' on a node above the alias, in the same document");
    }

    private JsonNode? Remember(NodeEvent node, JsonNode? json, long size, string? keyText)
    {
        if (!node.Anchor.IsEmpty)
        {
            _anchors[node.Anchor.Value] = new Anchored(json, size, keyText);
        }

        return json;
    }

    // Counted before an alias is copied, so the expansion that breaks the limit is never built.
    private void Count(long nodes, bool aliased, Mark at)
    {
        _nodes += nodes;
        if (aliased)
        {
            _aliased += nodes;
        }

        if (ParseLimits.IsExcessiveAliasing(_nodes, _aliased))
        {
            throw Error(at, $"aliases expand this document to over {_nodes} nodes, {_aliased} of them copies made by aliases (more than {ParseLimits.AllowedAliasRatio(_nodes):P0} of the document)",
                "use fewer aliases, or write the repeated parts out");
        }
    }

    public string At(Mark mark) => $"line {FileLine(mark.Line)}, column {mark.Column}";

    private InvalidDocumentException Error(Mark at, string message, string fix) => new(new SyntaxError(FileLine(at.Line), at.Column, message, fix));

    private readonly record struct Anchored(JsonNode? Node, long Size, string? KeyText);
}
