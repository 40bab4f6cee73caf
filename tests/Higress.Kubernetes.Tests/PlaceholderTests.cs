using System.Reflection;

namespace Higress.Kubernetes.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Kubernetes_package_exposes_nothing_until_its_issue_lands()
    {
        // Higress.Kubernetes is reserved for the watch source, status writer and leader election. Until they exist,
        // it must not offer any public API that could look as if it worked.
        var assembly = Assembly.Load("Higress.Kubernetes");

        Assert.Empty(assembly.GetExportedTypes());
    }
}
