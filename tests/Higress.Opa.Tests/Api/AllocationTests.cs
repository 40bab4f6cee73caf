namespace Higress.Opa.Tests.Api;

/// <summary>The live heap is process-wide: measured while no other test class runs.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsCollection;

[Collection(nameof(AllocationTests))]
public sealed class AllocationTests
{
    [Fact]
    public void RepeatedEvaluations_DoNotGrowAllocationsOrTheHeap()
    {
        var query = TestPolicies.CompileRbac().PrepareQuery("data.envoy.authz.allow");
        var input = Values.RegoValue.FromObject(TestPolicies.Request("GET", "/api/books/1", TestPolicies.Jwt("alice", "reader")));
        for (int i = 0; i < 2_000; i++) query.Evaluate(input);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long heapStart = GC.GetTotalMemory(true);
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5_000; i++) Assert.True(query.Evaluate(input).IsTrue);
        long first = GC.GetAllocatedBytesForCurrentThread() - a0;
        for (int i = 0; i < 40_000; i++) query.Evaluate(input);
        long a1 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5_000; i++) Assert.True(query.Evaluate(input).IsTrue);
        long last = GC.GetAllocatedBytesForCurrentThread() - a1;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long heapEnd = GC.GetTotalMemory(true);
        Assert.True(last <= first * 1.05 + 1024, $"allocation per evaluation grew: first {first / 5000} B, last {last / 5000} B");
        // frames and continuations are pooled and decoded tokens cached: what is left is the split, the sets the rules
        // build and the result (about 1.1 KB)
        Assert.True(last / 5000 < 2048, $"an RBAC decision allocates {last / 5000} B, expected under 2 KB");
        Assert.True(heapEnd - heapStart < 2 * 1024 * 1024, $"live heap grew by {(heapEnd - heapStart) / 1024} KiB");
    }
}
