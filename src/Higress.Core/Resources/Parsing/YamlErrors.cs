using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Turns what YamlDotNet throws into a <see cref="SyntaxError"/> that says where (in the file) and what was
/// expected. YamlDotNet's own messages name its parser states ("While parsing a block mapping, did not find
/// expected key"), some point at the enclosing collection rather than the fault, and one bug throws a bare
/// <see cref="InvalidOperationException"/>; the reader's stack of open collections fills those gaps.
/// </summary>
internal static partial class YamlErrors
{
    private const string DefaultFix = "fix the YAML syntax";

    // What YamlDotNet says (a part of its message), what that means, and the fix.
    private static readonly (string Said, string What, string Fix)[] Plain =
    [
        ("found invalid mapping", "unexpected 'key: value' here: a plain value cannot contain ': ', and a key must line up with the keys above it", "put the value in quotes, or fix the indentation"),
        ("mapping values are not allowed", "unexpected 'key: value' here: a plain value cannot contain ': ', and a key must line up with the keys above it", "put the value in quotes, or fix the indentation"),
        ("could not find expected ':'", "expected ':' after a key", "add ': ' and a value, or put the text in quotes"),
        ("did not find expected node content", "expected a value here", "write a value, or put it in quotes"),
        ("block sequence entries are not allowed", "a '- ' list item cannot follow a key or value on the same line", "start the list on the next line, indented"),
        ("anchor or alias, found value containing disallowed", "an anchor or alias name cannot contain '[', ']', '{', '}' or ','", "rename it, or put the value in quotes if '&' or '*' is meant literally"),
        ("did not find expected comment or line break", "text after a block scalar's '|' or '>' on the same line", "start the block's text on the next line, indented"),
        ("found wrong indentation", "a quoted string's next line is indented less than its key", "indent the continuation lines, or keep the string on one line"),
        ("found unknown escape character", "unknown escape in a double-quoted string", @"write '\\' for a backslash, or use single quotes"),
        ("preceding <document end>", "a directive (%YAML, %TAG) after content", "put directives before the document's '---'"),
        ("expected <document start>", "more content after the document's end", "start another document with '---', or fix the indentation"),
        ("expected <document end>", "more content after the document's end", "start another document with '---', or fix the indentation"),
    ];

    public static SyntaxError Describe(Exception exception, string text, YamlEventReader reader)
    {
        if (exception is InvalidDocumentException invalid)
        {
            return invalid.Error;
        }

        var flow = reader.Open.LastOrDefault(IsFlow);
        if (exception is not YamlException yaml)
        {
            // YamlDotNet 16 throws this from its scanner when a flow collection runs into the next block line,
            // sometimes before it has reported the collection's start.
            if (flow is not null)
            {
                return Unclosed(flow is SequenceStart, flow.Start, reader, flow.Start);
            }

            return FindUnclosedFlow(text) is var (isSequence, mark)
                ? Unclosed(isSequence, mark, reader, mark)
                : new SyntaxError(reader.FileLine(1), 1, $"the YAML parser stopped: {exception.Message}", DefaultFix);
        }

        var start = yaml.Start;
        var message = MarkPrefix().Replace(yaml.InnerException is YamlException inner ? inner.Message : yaml.Message, string.Empty);
        if (message.Contains("tab", StringComparison.OrdinalIgnoreCase) && FindTab(text, start.Line) is var (line, column))
        {
            return new SyntaxError(reader.FileLine(line), column, "tabs cannot indent YAML", "use spaces to indent");
        }

        if (flow is not null && message.Contains("flow ", StringComparison.Ordinal) && message.Contains("did not find expected", StringComparison.Ordinal))
        {
            return Unclosed(flow is SequenceStart, flow.Start, reader, start);
        }

        var (what, fix) = Explain(message, text, start, reader);
        return new SyntaxError(reader.FileLine(start.Line), start.Column, what, fix);
    }

    private static (string What, string Fix) Explain(string message, string text, Mark start, YamlEventReader reader)
    {
        if (message.Contains("quoted scalar, found unexpected end of stream", StringComparison.Ordinal))
        {
            var quote = CharAt(text, start) is '\'' ? "'" : "\"";
            return ($"unclosed quoted string: expected a closing {quote}", $"end the string with {quote}");
        }

        if (message.Contains("cannot start any token", StringComparison.Ordinal))
        {
            return ($"'{CharAt(text, start)}' cannot start a plain value", "put the value in quotes");
        }

        if (message.Contains("expected '-' indicator", StringComparison.Ordinal))
        {
            return ($"expected a '- ' item of the list that starts at {Innermost<SequenceStart>(reader)}", "indent the line like the list's other items");
        }

        if (message.Contains("did not find expected key", StringComparison.Ordinal))
        {
            return ($"expected a 'key: value' of the mapping that starts at {Innermost<MappingStart>(reader)}",
                "indent the line like the mapping's other keys, or put a value that contains ': ', '[' or '{' in quotes");
        }

        foreach (var (said, what, fix) in Plain)
        {
            if (message.Contains(said, StringComparison.OrdinalIgnoreCase))
            {
                return (what, fix);
            }
        }

        // YamlDotNet's own words: "While scanning a block scalar, found ..." becomes "while scanning ...".
        var text2 = message.TrimEnd('.');
        return (text2.Length == 0 ? "not valid" : char.ToLowerInvariant(text2[0]) + text2[1..], DefaultFix);
    }

    private static SyntaxError Unclosed(bool isSequence, Mark opened, YamlEventReader reader, Mark at)
    {
        var (kind, open, close) = isSequence ? ("sequence", '[', ']') : ("mapping", '{', '}');
        return new SyntaxError(reader.FileLine(at.Line), at.Column,
            $"unclosed flow {kind} '{open}' opened at {reader.At(opened)}: expected ',' or '{close}'",
            $"close it with '{close}', or put a value that starts with '{open}' in quotes");
    }

    // The outermost '[' or '{' that starts a value and is never closed, skipping quoted strings and comments.
    private static (bool IsSequence, Mark At)? FindUnclosedFlow(string text)
    {
        var open = new Stack<(char Char, Mark At)>();
        var lines = text.Split('\n');
        for (var l = 0; l < lines.Length; l++)
        {
            var line = lines[l];
            var previous = ' '; // the last character that is not a space; ' ' at the start of a line
            for (var c = 0; c < line.Length; c++)
            {
                var ch = line[c];
                var startsValue = previous is ' ' or ':' or '-' or ',' or '[' or '{' or '?';
                if (ch == '#' && (c == 0 || line[c - 1] is ' ' or '\t'))
                {
                    break;
                }

                if (ch is '\'' or '"' && startsValue)
                {
                    c = QuoteEnd(line, c);
                }
                else if (ch is '[' or '{' && (startsValue || open.Count > 0))
                {
                    open.Push((ch, new Mark(0, l + 1, c + 1)));
                }
                else if (ch is ']' or '}' && open.Count > 0)
                {
                    open.Pop();
                }

                if (ch is not (' ' or '\t'))
                {
                    previous = ch;
                }
            }
        }

        return open.Count == 0 ? null : open.Last() is var (first, at) ? (first == '[', at) : null;
    }

    private static int QuoteEnd(string line, int start)
    {
        for (var i = start + 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && line[start] == '"')
            {
                i++;
            }
            else if (line[i] == line[start])
            {
                if (line[start] == '\'' && i + 1 < line.Length && line[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return line.Length;
    }

    private static string Innermost<T>(YamlEventReader reader)
        where T : NodeEvent =>
        reader.Open.OfType<T>().LastOrDefault() is { } open ? reader.At(open.Start) : "the document's start";

    private static bool IsFlow(NodeEvent e) => e is SequenceStart { Style: SequenceStyle.Flow } or MappingStart { Style: MappingStyle.Flow };

    private static char CharAt(string text, Mark mark) => mark.Index >= 0 && mark.Index < text.Length ? text[(int)mark.Index] : '?';

    // YamlDotNet reports a tab at the start of the enclosing collection, or on the line before it.
    private static (long Line, long Column)? FindTab(string text, long fromLine)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(fromLine - 1, 0); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
