using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources.Parsing;

/// <summary>Whatever the text, parsing ends in objects or diagnostics (syntax errors with a position), never in an exception.</summary>
public class MutationTests
{
    private const string Alphabet = "[]{}:,-'\"\t\n #&*!|>%@`?\\\u00e9x0";

    [Fact]
    public void Mutated_yaml_and_json_never_throw_and_every_syntax_error_has_a_position()
    {
        var random = new Random(99);
        var seeds = new[] { ResourceParserTests.SeedExample, System.Text.Json.JsonSerializer.Serialize(new { apiVersion = "v1", kind = "Service", metadata = new { name = "a" }, spec = new { ports = new[] { new { port = 80 } } } }) };
        for (var i = 0; i < 2_000; i++)
        {
            var text = seeds[i % seeds.Length].ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    case 1: text.RemoveAt(at); break;
                    default: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }

            var mutated = new string([.. text]);
            var result = ResourceParser.Parse(mutated, new ResourceOrigin("test", "m.yaml", 0, 0));
            Assert.False(result.Diagnostics.Any(d => d.Message.Contains("Operation is not valid", StringComparison.Ordinal)), mutated);
            Assert.All(result.Diagnostics.Where(d => d.Message.StartsWith("not valid", StringComparison.Ordinal)), d => Assert.Matches(@"^not valid (YAML|JSON) at line [1-9]\d*, column [1-9]\d*: \S", d.Message));
        }
    }
}
