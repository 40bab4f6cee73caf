using System.Reflection;
using Higress.Core.Diagnostics;
using Higress.Testing;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Diagnostics;

public class EventIdsTests
{
    private static readonly Assembly[] GatewayAssemblies = [typeof(EventIds).Assembly, typeof(HigressOptions).Assembly, typeof(HigressTestHost).Assembly, typeof(Higress.Kubernetes.KubernetesOptions).Assembly];

    private static Dictionary<string, int> Constants() =>
        typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!, StringComparer.Ordinal);

    private static List<(string Method, int EventId)> LogMessages() =>
        GatewayAssemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => ($"{m.Method.DeclaringType!.FullName}.{m.Method.Name}", m.Attribute!.EventId))
            .ToList();

    [Fact]
    public void No_two_constants_share_an_id()
    {
        var shared = Constants().GroupBy(c => c.Value).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(c => c.Key))}");

        Assert.Empty(shared);
    }

    [Fact]
    public void Every_log_message_uses_a_listed_id_and_no_id_twice()
    {
        var listed = Constants().Values.ToHashSet();
        var messages = LogMessages();

        Assert.NotEmpty(messages);
        Assert.Empty(messages.Where(m => !listed.Contains(m.EventId)).Select(m => $"{m.Method} uses {m.EventId}, which EventIds does not list"));
        Assert.Empty(messages.GroupBy(m => m.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}"));
        Assert.Empty(listed.Except(messages.Select(m => m.EventId)).Select(id => $"{id} is listed but no log message uses it"));
    }

    [Fact]
    public void The_operations_guide_lists_every_id()
    {
        var guide = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "operations.md"));

        Assert.Empty(Constants().Where(c => !guide.Contains($"| {c.Value} |", StringComparison.Ordinal)).Select(c => $"{c.Key} ({c.Value})"));
    }
}
