using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources.Parsing;

/// <summary>Broken YAML and JSON: each error names the file, the file's line and column, and what was expected.</summary>
public class SyntaxErrorTests
{
    private const string Head = "apiVersion: v1\nkind: Service\nmetadata:\n";

    public static TheoryData<string, string, string, int, int, string> BrokenInputs => new()
    {
        // file, text, object, line, column, what the message must say
        { "a.yaml", Head + "  name: a\n  labels: [x, y\nspec: {}\n", "a.yaml#1", 5, 11, "unclosed flow sequence '[' opened at line 5, column 11: expected ',' or ']'" },
        { "a.yaml", Head + " [name: a\nspec: {}\n", "a.yaml#1", 4, 2, "unclosed flow sequence '[' opened at line 4, column 2: expected ',' or ']'" },
        { "a.yaml", Head + "  name: a\n\tnamespace: b\n", "a.yaml#1", 5, 1, "tabs cannot indent YAML; use spaces" },
        { "a.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n\tname: a\n", "a.yaml#1", 4, 1, "tabs cannot indent YAML; use spaces" },
        { "a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a\n", "a.yaml#1", 4, 1, "unclosed flow mapping '{' opened at line 3, column 11: expected ',' or '}'" },
        { "a.yaml", Head + "  name: 'a\n", "a.yaml#1", 4, 9, "unclosed quoted string: expected a closing '" },
        { "a.yaml", Head + "  name: @a\n", "a.yaml#1", 4, 9, "'@' cannot start a plain value; put the value in quotes" },
        { "a.yaml", Head + "  name: *nope\n", "a.yaml#1", 4, 9, "alias '*nope' names no anchor defined before it in this document; define '&nope'" },
        { "a.yaml", "apiVersion: v1\nkind: Service\nmetadata: &m\n  name: *m\n", "a.yaml#1", 4, 9, "alias '*m' is inside the node anchored '&m'" },
        { "a.yaml", Head + "  name: a\n   namespace: b\n", "a.yaml#1", 5, 13, "unexpected 'key: value' here" },
        { "a.yaml", Head + "  name: a: b\n", "a.yaml#1", 4, 10, "a plain value cannot contain ': '" },
        { "a.yaml", Head + "  name: a\n  name: b\n", "a.yaml#1", 5, 3, "duplicate key 'name' in the mapping that starts at line 4, column 3; remove or rename one of them" },
        { "a.yaml", Head + "  name: |\n    x\n  y\n", "a.yaml#1", 6, 3, "expected a 'key: value' of the mapping that starts at line 4, column 3" },
        { "a.yaml", Head + "  name: a\n---\n" + Head + "  labels: {a: [1, 2}\n", "a.yaml#2", 9, 20, "unclosed flow sequence '[' opened at line 9, column 15" },
        { "a.yaml", "a:\n" + string.Concat(Enumerable.Range(1, 70).Select(i => new string(' ', i) + "a:\n")), "a.yaml#1", 65, 65, "the document nests deeper than 64 levels" },
        { "a.json", """{"apiVersion": "v1", "kind": [1, 2}""", "a.json", 1, 35, "'}' does not close the '[' opened at line 1, column 30: expected ']'" },
        { "a.json", "{\n  \"apiVersion\": \"v1\",\n  \"metadata\": {\"name\": \"a\"\n}", "a.json", 4, 2, "unclosed '{' opened at line 1, column 1: expected '}'" },
        { "a.json", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service,\n}", "a.json", 3, 20, "unclosed string opened at line 3, column 11: expected '\"'" },
        { "a.json", "{\n  \"kind\": \"Service\",\n  \"kind\": \"Route\"\n}", "a.json", 3, 3, "duplicate key \"kind\" in the object opened at line 1, column 1" },
        { "a.json", "{\n  \"é\": \"é\", \"kind\" 2}", "a.json", 2, 20, "'2' is invalid after a property name. Expected a ':'" },
        { "a.json", "{\n  // a comment\n  /* and\n another */ \"a\": [1, 2}", "a.json", 4, 23, "'}' does not close the '[' opened at line 4, column 18" },
        { "a.json", new string('[', 70) + new string(']', 70), "a.json", 1, 65, "the document nests deeper than 64 levels" },
        { "a.json", new string('[', 100_000), "a.json", 1, 65, "the document nests deeper than 64 levels" },
        { "a.yaml", "a: " + new string('[', 100_000), "a.yaml#1", 1, 67, "the document nests deeper than 64 levels" },
    };

    [Theory]
    [MemberData(nameof(BrokenInputs))]
    public void A_syntax_error_names_the_file_line_column_and_what_was_expected(string file, string text, string where, int line, int column, string expected)
    {
        var result = ResourceParser.Parse(text, new ResourceOrigin("test", file, 0, 0));

        var error = Assert.Single(result.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal(where, error.Object);
        Assert.Equal(where, error.SourceFile);
        var format = file.EndsWith(".json", StringComparison.Ordinal) ? "JSON" : "YAML";
        Assert.StartsWith($"{where}: not valid {format} at line {line}, column {column}: ", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_document_is_skipped_and_its_neighbours_load()
    {
        var result = ResourceParser.Parse(Head + "  name: a\n---\n" + Head + "  name: [b\n---\n" + Head + "  name: c\n", new ResourceOrigin("test", "a.yaml", 0, 0));

        Assert.Equal(["a", "c"], result.Resources.Select(r => r.Name));
        Assert.EndsWith("; this document was skipped", Assert.Single(result.Diagnostics).ToString(), StringComparison.Ordinal);
    }
}
