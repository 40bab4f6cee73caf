using BenchmarkDotNet.Attributes;
using Higress.Opa;
using Higress.Opa.Values;

namespace Higress.Opa.Benchmarks;

[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class RbacDecisionBenchmark
{
    private PreparedQuery _allow = null!;
    private RegoValue _reader = null!;
    private RegoValue _admin = null!;
    private RegoValue _denied = null!;

    [GlobalSetup]
    public void Setup()
    {
        _allow = RbacPolicy.Compile().PrepareQuery("data.envoy.authz.allow");
        _reader = RbacPolicy.Input("GET", "/api/books/42", RbacPolicy.Jwt("alice", "reader", "ops"));
        _admin = RbacPolicy.Input("DELETE", "/api/books/42", RbacPolicy.Jwt("carol", "admin"));
        _denied = RbacPolicy.Input("POST", "/api/books/42", RbacPolicy.Jwt("dave", "reader"));
    }

    [Benchmark(Baseline = true)]
    public bool AllowReader() => _allow.Evaluate(_reader).IsTrue;

    [Benchmark]
    public bool AllowAdmin() => _allow.Evaluate(_admin).IsTrue;

    [Benchmark]
    public bool Deny() => _allow.Evaluate(_denied).IsTrue;
}

[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
public class CompileBenchmark
{
    private string _large = "";

    [GlobalSetup]
    public void Setup() => _large = RbacPolicy.Large(1000);

    [Benchmark]
    public CompiledPolicy Compile1000Rules() => new PolicyCompiler().AddModule("large.rego", _large).Compile();

    [Benchmark]
    public CompiledPolicy CompileRbac() => RbacPolicy.Compile();
}
