using Higress.Opa.Loading;
using Higress.Opa.Values;

namespace Higress.Opa.Syntax;

internal sealed partial class Parser
{
    /// <summary>Reads a <c># METADATA</c> comment block ending just above <paramref name="line"/> (YAML), normalised as OPA does.</summary>
    private RegoObject? Annotations(int line, string defaultScope)
    {
        int l = line - 1;
        var lines = new List<string>();
        while (_comments.TryGetValue(l, out var text))
        {
            if (text.Trim() == "METADATA")
            {
                lines.Reverse();
                return Normalize(string.Join("\n", lines), defaultScope, line);
            }
            lines.Add(text.StartsWith(' ') ? text[1..] : text);
            l--;
        }
        return null;
    }

    private RegoObject? Normalize(string yaml, string defaultScope, int line)
    {
        RegoValue parsed;
        try
        {
            parsed = YamlConverter.Parse(yaml);
        }
        catch (RegoException e)
        {
            throw new RegoException(RegoErrorCodes.ParseError, "invalid METADATA block: " + e.Message, new RegoLocation(_file, line, 1));
        }
        var obj = parsed as RegoObject ?? RegoObject.Empty;
        if (obj.Get("authors") is RegoArray authors)
        {
            obj = obj.With(RegoString.Create("authors"), RegoArray.Create(authors.Select(Author)));
        }
        if (obj.Get("related_resources") is RegoArray related)
        {
            obj = obj.With(RegoString.Create("related_resources"), RegoArray.Create(related.Select(r => r is RegoString rs
                ? RegoObject.Create([new KeyValuePair<string, RegoValue>("ref", rs)])
                : r)));
        }
        if (!obj.ContainsKey(RegoString.Create("scope")))
        {
            obj = obj.With(RegoString.Create("scope"), RegoString.Create(defaultScope));
        }
        return obj;
    }

    private static RegoValue Author(RegoValue a)
    {
        if (a is not RegoString s)
        {
            return a;
        }
        string text = s.Value.Trim();
        int lt = text.LastIndexOf('<');
        var pairs = new List<KeyValuePair<string, RegoValue>>();
        if (lt >= 0 && text.EndsWith('>'))
        {
            string name = text[..lt].Trim();
            if (name.Length > 0) pairs.Add(new("name", RegoString.Create(name)));
            pairs.Add(new("email", RegoString.Create(text[(lt + 1)..^1])));
        }
        else
        {
            pairs.Add(new("name", RegoString.Create(text)));
        }
        return RegoObject.Create(pairs);
    }
}
