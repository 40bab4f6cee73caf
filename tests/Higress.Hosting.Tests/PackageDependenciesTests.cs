using System.Text.Json;

namespace Higress.Hosting.Tests;

/// <summary>A production host carries only what serving needs: the test host lives in Higress.Net.Testing.</summary>
public sealed class PackageDependenciesTests
{
    private const string TestHost = "Microsoft.AspNetCore.TestHost";

    [Fact]
    public void The_assembly_does_not_reference_the_test_host()
    {
        var references = typeof(HigressOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain(TestHost, references);
    }

    [Fact]
    public void The_package_does_not_depend_on_the_test_host_directly_or_transitively()
    {
        // The test's deps.json holds the package graph as restored: Higress.Net and everything it pulls in.
        var depsFile = Path.Combine(AppContext.BaseDirectory, "Higress.Hosting.Tests.deps.json");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var target = deps.RootElement.GetProperty("targets").EnumerateObject().First().Value;
        var libraries = target.EnumerateObject().ToDictionary(p => p.Name[..p.Name.IndexOf('/', StringComparison.Ordinal)], p => p.Value, StringComparer.Ordinal);

        var closure = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(["Higress.Net"]);
        while (pending.TryPop(out var name))
        {
            if (closure.Add(name) && libraries.TryGetValue(name, out var library) && library.TryGetProperty("dependencies", out var dependencies))
            {
                foreach (var dependency in dependencies.EnumerateObject())
                {
                    pending.Push(dependency.Name);
                }
            }
        }

        Assert.Contains("Yarp.ReverseProxy", closure);
        Assert.DoesNotContain(TestHost, closure);
    }
}
