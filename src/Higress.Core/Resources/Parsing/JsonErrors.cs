using System.Text;
using System.Text.Json;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Turns a <see cref="JsonException"/> into a <see cref="SyntaxError"/>: the position in characters (System.Text.Json
/// counts bytes), and for the faults it describes vaguely ("Expected depth to be zero", "'}' is invalid without a
/// matching open", a duplicate key with no position) the bracket or key at fault, found by rescanning the text.
/// </summary>
internal static class JsonErrors
{
    private const string DefaultFix = "fix the JSON syntax";

    public static SyntaxError Describe(JsonException exception, string text)
    {
        var message = exception.Message.Split(" LineNumber:", 2)[0].Trim().TrimEnd('.');
        if (exception.LineNumber is not { } line0 || exception.BytePositionInLine is not { } bytes)
        {
            var scan = Scan(text, long.MaxValue, long.MaxValue);
            return scan.Duplicate is { } dup
                ? new SyntaxError(dup.Line, dup.Column, $"duplicate key {dup.Name} in the object opened at {At(dup.Object)}", "remove or rename one of them")
                : new SyntaxError(1, 1, message, DefaultFix);
        }

        var line = line0 + 1;
        var column = CharColumn(text, line0, bytes) + 1;
        var at = Scan(text, line, column);
        if (at.Mismatch is { } mismatch)
        {
            return new SyntaxError(line, column, $"'{mismatch.Close}' does not close the '{mismatch.Open.Char}' opened at {At(mismatch.Open)}: expected '{Closer(mismatch.Open.Char)}'",
                $"close the '{mismatch.Open.Char}' with '{Closer(mismatch.Open.Char)}' first");
        }

        if (at.OpenString is { } str)
        {
            return new SyntaxError(line, column, $"unclosed string opened at {At(str)}: expected '\"'", "end the string with '\"'");
        }

        if (message.Contains("depth to be zero", StringComparison.Ordinal) && at.Open.Count > 0)
        {
            var open = at.Open[^1];
            return new SyntaxError(line, column, $"unclosed '{open.Char}' opened at {At(open)}: expected '{Closer(open.Char)}'", $"close it with '{Closer(open.Char)}'");
        }

        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return new SyntaxError(line, column, $"the document nests deeper than {ParseLimits.MaxDepth} levels", "flatten the document");
        }

        return new SyntaxError(line, column, message, DefaultFix);
    }

    private static string At(Position p) => $"line {p.Line}, column {p.Column}";

    private static char Closer(char open) => open == '{' ? '}' : ']';

    private static long CharColumn(string text, long line, long bytes)
    {
        var lines = text.Split('\n');
        if (line >= lines.Length)
        {
            return bytes;
        }

        var utf8 = Encoding.UTF8.GetBytes(lines[line]);
        return Encoding.UTF8.GetCharCount(utf8, 0, (int)Math.Min(bytes, utf8.Length));
    }

    // Walks the text's structure up to (stopLine, stopColumn): brackets, strings, comments and object keys.
    private static ScanResult Scan(string text, long stopLine, long stopColumn)
    {
        var open = new List<Position>();
        var keys = new List<HashSet<string>?>();
        var result = new ScanResult(open);
        long line = 1, column = 1;
        for (var i = 0; i < text.Length; i++, column++)
        {
            if (line > stopLine || (line == stopLine && column > stopColumn))
            {
                break;
            }

            var c = text[i];
            var here = new Position(c, line, column);
            switch (c)
            {
                case '\n':
                    line++;
                    column = 0;
                    break;
                case '{' or '[':
                    open.Add(here);
                    keys.Add(c == '{' ? new HashSet<string>(StringComparer.Ordinal) : null);
                    break;
                case '}' or ']':
                    if (open.Count == 0 || Closer(open[^1].Char) != c)
                    {
                        return open.Count == 0 ? result : result with { Mismatch = new Mismatch(c, open[^1]) };
                    }

                    open.RemoveAt(open.Count - 1);
                    keys.RemoveAt(keys.Count - 1);
                    break;
                case '/' when i + 1 < text.Length && text[i + 1] is '/' or '*':
                    var block = text[i + 1] == '*';
                    i += 2;
                    column += 2;
                    while (i < text.Length && (block ? !(text[i] == '*' && i + 1 < text.Length && text[i + 1] == '/') : text[i] != '\n'))
                    {
                        (line, column) = text[i] == '\n' ? (line + 1, 1) : (line, column + 1);
                        i++;
                    }

                    // Leave i on the comment's last character; the loop counts a line comment's newline.
                    (i, column) = block ? (i + 1, column + 1) : (i - 1, column - 1);
                    break;
                case '"':
                    var close = i + 1;
                    while (close < text.Length && text[close] != '"' && text[close] != '\n')
                    {
                        close += text[close] == '\\' ? 2 : 1;
                    }

                    if (close >= text.Length || text[close] != '"')
                    {
                        return result with { OpenString = here };
                    }

                    var name = text[i..(close + 1)];
                    if (keys.Count > 0 && keys[^1] is { } seen && NextIsColon(text, close + 1) && !seen.Add(name) && result.Duplicate is null)
                    {
                        result = result with { Duplicate = new Duplicate(name, line, column, open[^1]) };
                    }

                    column += close - i;
                    i = close;
                    break;
            }
        }

        return result;
    }

    private static bool NextIsColon(string text, int from)
    {
        var i = from;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i < text.Length && text[i] == ':';
    }

    private readonly record struct Position(char Char, long Line, long Column);

    private sealed record Mismatch(char Close, Position Open);

    private sealed record Duplicate(string Name, long Line, long Column, Position Object);

    private sealed record ScanResult(List<Position> Open)
    {
        public Mismatch? Mismatch { get; init; }

        public Position? OpenString { get; init; }

        public Duplicate? Duplicate { get; init; }
    }
}
