using System.Text;
using Xunit.Abstractions;

namespace Higress.Opa.Tests.Conformance;

public sealed class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>Folders of OPA's v1 cases in which every case must pass.</summary>
    private static readonly string[] MustPassFolders =
    [
        "aggregates",
        "arithmetic",
        "array",
        "assignments",
        "baseandvirtualdocs",
        "comparisonexpr",
        "completedoc",
        "comprehensions",
        "containskeyword",
        "dataderef",
        "defaultkeyword",
        "disjunction",
        "elsekeyword",
        "eqexpr",
        "every",
        "functions",
        "graphql",
        "indexing",
        "inputvalues",
        "negation",
        "nestedreferences",
        "partialdocconstants",
        "partialobjectdoc",
        "partialsetdoc",
        "refheads",
        "sets",
        "strings",
        "type",
        "varreferences",
        "virtualdocs",
        "withkeyword",
    ];

    /// <summary>Floor on the number of passing cases (raised as the engine improves).</summary>
    private const int MinimumPassed = 2076;

    [Fact]
    public void OpaConformance()
    {
        var root = ConformanceRunner.FindCasesRoot();
        if (root is null)
        {
            Report("opa-conformance: ../shared/opa-cases not found; skipping");
            return;
        }
        List<ConformanceRunner.CaseOutcome> outcomes = [];
        var thread = new Thread(() => outcomes = ConformanceRunner.RunAll(root), 256 * 1024 * 1024);
        thread.Start();
        thread.Join();
        var lines = new StringBuilder();
        var failures = new StringBuilder();
        foreach (var g in outcomes.GroupBy(o => o.Folder).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int p = g.Count(o => o.Passed), s = g.Count(o => o.Skipped), f = g.Count() - p - s;
            lines.AppendLine($"opa-conformance {g.Key}: {p} passed, {f} failed, {s} skipped");
            foreach (var o in g.Where(o => !o.Passed && !o.Skipped))
            {
                failures.AppendLine($"FAIL {o.Folder} [{Path.GetFileName(o.File)}] {o.Note}\n      {o.Detail}");
            }
        }
        int passed = outcomes.Count(o => o.Passed), skipped = outcomes.Count(o => o.Skipped);
        int failed = outcomes.Count - passed - skipped;
        lines.AppendLine($"opa-conformance: {passed} passed, {failed} failed, {skipped} skipped");
        Report(lines.ToString().TrimEnd());
        var repo = ConformanceRunner.FindRepoRoot();
        if (repo is not null)
        {
            var artifacts = Path.Combine(repo, "artifacts");
            Directory.CreateDirectory(artifacts);
            File.WriteAllText(Path.Combine(artifacts, "opa-conformance.txt"), lines.ToString());
            File.WriteAllText(Path.Combine(artifacts, "opa-conformance-failures.txt"), failures.ToString());
        }
        foreach (var folder in MustPassFolders)
        {
            var inFolder = outcomes.Where(o => o.Folder == "v1/" + folder).ToList();
            Assert.True(inFolder.Count > 0, $"no cases found for {folder}");
            var bad = inFolder.Where(o => !o.Passed).Select(o => o.Note).ToList();
            Assert.True(bad.Count == 0, $"{folder}: failing cases: {string.Join(", ", bad)}");
        }
        Assert.True(passed >= MinimumPassed, $"only {passed} cases passed; floor is {MinimumPassed}");
        // at least 90% of OPA's v1 cases
        var v1 = outcomes.Where(o => o.Folder.StartsWith("v1/", StringComparison.Ordinal)).ToList();
        Assert.True(v1.Count(o => o.Passed) * 10 >= v1.Count * 9, $"v1: {v1.Count(o => o.Passed)} of {v1.Count} passed (< 90%)");
    }

    private void Report(string text)
    {
        output.WriteLine(text);
        Console.WriteLine(text);
    }
}
