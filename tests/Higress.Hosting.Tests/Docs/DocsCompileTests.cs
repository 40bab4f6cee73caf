using System.Text.RegularExpressions;
using Higress.Core.Resources.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.Extensions.Configuration;

namespace Higress.Hosting.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block in README.md and docs/*.md compiles as written, against this test's references
/// (Higress.Net, Higress.Opa, ASP.NET Core, xunit) with the implicit usings of a Web SDK project plus Xunit. A block
/// of statements compiles as a program's top-level statements; a block of declarations as a library. Blocks marked
/// <c>```csharp fragment</c> are excerpts and are skipped. The <c>```json</c> examples of a <c>Higress</c> section read
/// without errors or warnings.
/// </summary>
public partial class DocsCompileTests
{
    private static readonly string[] ImplicitUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json", "System.Threading",
        "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging", "Xunit",
    ];

    private static readonly Lazy<List<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList());

    public static TheoryData<string, int> Blocks()
    {
        var data = new TheoryData<string, int>();
        foreach (var block in Extract())
        {
            data.Add(block.File, block.Line);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Code_block_compiles(string file, int line)
    {
        var block = Extract().Single(b => b.File == file && b.Line == line);

        var errors = Compile(block.Code);

        Assert.True(errors.Count == 0, $"{file}:{line}: the C# block does not compile:\n" + string.Join('\n', errors.Select(e =>
            $"  {file}:{line + e.Location.GetLineSpan().StartLinePosition.Line + 1}: {e.Id}: {e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")));
    }

    [Fact]
    public void The_appsettings_examples_read_without_problems()
    {
        var examples = Extract("json").Where(b => b.Code.Contains("\"Higress\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(examples, b => b.Code.Contains("\"Backends\"", StringComparison.Ordinal));
        Assert.Contains(examples, b => b.Code.Contains("\"Resources\"", StringComparison.Ordinal));

        foreach (var (file, line, code) in examples)
        {
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(code))).Build();
            var read = ConfigurationResources.Read(configuration.GetSection("Higress"));
            Assert.True(read.Diagnostics.Count == 0, $"{file}:{line}: " + string.Join('\n', read.Diagnostics));
        }
    }

    [Fact]
    public void The_docs_have_csharp_blocks_to_check()
    {
        Assert.Contains(Extract(), b => b.File == "README.md");
        Assert.Contains(Extract(), b => b.File == "docs/testing.md");
    }

    private static List<Diagnostic> Compile(string code)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(code, options, path: "block.cs");
        var usings = CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using {u};\n")), options, path: "usings.cs");
        var program = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "DocsBlock",
            [usings, tree],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree == tree)
            .ToList();
    }

    private static List<(string File, int Line, string Code)> Extract(string language = "csharp")
    {
        var root = RepositoryRoot.Path;
        var files = Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal).Prepend(Path.Combine(root, "README.md"));
        var blocks = new List<(string, int, string)>();
        foreach (var path in files)
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                var fence = Fence().Match(lines[i]);
                if (!fence.Success || !Languages(language).Contains(fence.Groups["lang"].Value))
                {
                    continue;
                }

                var start = i + 1;
                var end = start;
                while (end < lines.Length && lines[end].Trim() != "```")
                {
                    end++;
                }

                if (fence.Groups["info"].Value.Trim() != "fragment")
                {
                    blocks.Add((relative, start, string.Join('\n', lines[start..end])));
                }

                i = end;
            }
        }

        return blocks;
    }

    private static string[] Languages(string language) => language == "csharp" ? ["csharp", "cs", "c#"] : [language];

    [GeneratedRegex(@"^```(?<lang>[a-z#]+)(?<info>\s.*)?$")]
    private static partial Regex Fence();
}
