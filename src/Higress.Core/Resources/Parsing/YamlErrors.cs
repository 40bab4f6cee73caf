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

    public static SyntaxError Describe(Exception exception, string text, YamlEventReader reader)
    {
        if (exception is InvalidDocumentException invalid)
        {
            return invalid.Error;
        }

        var flow = reader.Open.LastOrDefault(IsFlow);
        if (exception is not YamlException yaml)
        {
            // YamlDotNet 16 throws this from its scanner when a flow collection runs into the next block line.
            return flow is not null
                ? Unclosed(flow, reader, flow.Start)
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
            return Unclosed(flow, reader, start);
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

        if (message.Contains("found invalid mapping", StringComparison.Ordinal) || message.Contains("mapping values are not allowed", StringComparison.Ordinal))
        {
            return ("unexpected 'key: value' here: a plain value cannot contain ': ', and a key must line up with the keys above it",
                "put the value in quotes, or fix the indentation");
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

        if (message.Contains("preceding <document end>", StringComparison.Ordinal))
        {
            return ("a directive (%YAML, %TAG) after content", "put directives before the document's '---'");
        }

        if (message.Contains("expected <document start>", StringComparison.Ordinal))
        {
            return ("more content after the document's end", "start another document with '---', or fix the indentation");
        }

        // YamlDotNet's own words: "While scanning a block scalar, found ..." becomes "while scanning ...".
        var text2 = message.TrimEnd('.');
        return (text2.Length == 0 ? "not valid" : char.ToLowerInvariant(text2[0]) + text2[1..], DefaultFix);
    }

    private static SyntaxError Unclosed(NodeEvent flow, YamlEventReader reader, Mark at)
    {
        var (kind, open, close) = flow is SequenceStart ? ("sequence", '[', ']') : ("mapping", '{', '}');
        return new SyntaxError(reader.FileLine(at.Line), at.Column,
            $"unclosed flow {kind} '{open}' opened at {reader.At(flow.Start)}: expected ',' or '{close}'",
            $"close it with '{close}', or put a value that starts with '{open}' in quotes");
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
