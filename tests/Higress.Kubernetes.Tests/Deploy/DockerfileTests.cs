using System.Text.RegularExpressions;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Deploy;

/// <summary>
/// No Docker engine runs here, so samples/Higress.Gateway/Dockerfile is checked as text: multi-stage, non-root, and
/// every path it copies exists, including each project the gateway references (a new reference breaks the restore
/// layer otherwise).
/// </summary>
public partial class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Repository.Path("samples", "Higress.Gateway", "Dockerfile"));

    [Fact]
    public void Builds_in_one_stage_and_runs_in_another_as_a_non_root_user()
    {
        Assert.Equal(2, Lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains(Lines, l => l.StartsWith("COPY --from=build ", StringComparison.Ordinal));
        var user = Assert.Single(Lines, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.True(int.Parse(user[5..], System.Globalization.CultureInfo.InvariantCulture) > 0, "USER must be a numeric non-root id, so that runAsNonRoot can verify it");
        Assert.Contains(Lines, l => l.StartsWith("ENTRYPOINT [\"dotnet\", \"Higress.Gateway.dll\"]", StringComparison.Ordinal));
    }

    [Fact]
    public void Copies_only_paths_that_exist_and_every_project_the_gateway_references()
    {
        var sources = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();
        Assert.All(sources, s => Assert.True(File.Exists(Repository.Path(s)) || Directory.Exists(Repository.Path(s)), $"Dockerfile copies {s}, which does not exist"));

        var pending = new Queue<string>(["samples/Higress.Gateway/Higress.Gateway.csproj"]);
        while (pending.TryDequeue(out var project))
        {
            Assert.Contains(project, sources);
            var folder = Path.GetDirectoryName(project)!;
            foreach (Match reference in ProjectReference().Matches(File.ReadAllText(Repository.Path(project))))
            {
                pending.Enqueue(Repository.Relative(Path.GetFullPath(Path.Combine(Repository.Root, folder, reference.Groups[1].Value))));
            }
        }
    }

    [GeneratedRegex(@"ProjectReference Include=""([^""]+)""")]
    private static partial Regex ProjectReference();
}
