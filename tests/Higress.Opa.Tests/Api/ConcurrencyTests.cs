using Higress.Opa.Values;

namespace Higress.Opa.Tests.Api;

public sealed class ConcurrencyTests
{
    [Fact]
    public void ThousandConcurrentEvaluations_MatchSequentialAnswers()
    {
        var policy = TestPolicies.CompileRbac();
        var query = policy.PrepareQuery("data.envoy.authz.decision");
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        string[] paths = ["/api/books", "/api/books/1", "/healthz", "/admin"];
        string[] roles = ["reader", "writer", "ops", "admin", "guest"];
        string[] users = ["alice", "bob", "mallory"];
        var inputs = Enumerable.Range(0, 1000)
            .Select(i => RegoValue.FromObject(TestPolicies.Request(methods[i % 4], paths[(i / 4) % 4], TestPolicies.Jwt(users[i % 3], roles[i % 5], roles[(i / 5) % 5]))))
            .ToArray();
        var sequential = inputs.Select(i => query.Evaluate(i).Value).ToArray();
        var concurrent = new RegoValue?[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 2 }, i =>
        {
            concurrent[i] = query.Evaluate(inputs[i]).Value;
        });
        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.NotNull(sequential[i]);
            Assert.Equal(sequential[i], concurrent[i]);
        }
        Assert.Contains(sequential, v => v is RegoObject o && o.Get("allowed") == RegoValue.True);
        Assert.Contains(sequential, v => v is RegoObject o && o.Get("allowed") == RegoValue.False);
    }
}
