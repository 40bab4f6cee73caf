using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>Built-ins where OPA's observable behaviour (Go's net and OPA's semver) differs from the obvious reading.</summary>
public sealed class BuiltinAgreementTests
{
    private static RegoValue? Value(string expr, object? input = null) =>
        new PolicyCompiler().AddModule("t.rego", $"package t\n\nv := {expr}\n").Compile().PrepareQuery("data.t.v").Evaluate(input).Value;

    [Theory]
    [InlineData("net.cidr_contains(\"192.0.2.0/24\", \"::ffff:192.0.2.10\")", true)]
    [InlineData("net.cidr_contains(\"192.0.2.0/24\", \"::ffff:192.0.3.10\")", false)]
    [InlineData("net.cidr_contains(\"192.0.2.0/24\", \"::ffff:192.0.2.0/120\")", true)]
    [InlineData("net.cidr_contains(\"::ffff:192.0.2.0/120\", \"192.0.2.77\")", true)]
    [InlineData("net.cidr_contains(\"::/0\", \"192.0.2.10\")", false)]
    [InlineData("net.cidr_contains(\"2001:db8::/32\", \"2001:db8::1\")", true)]
    [InlineData("net.cidr_contains(\"192.0.2.0/24\", \"2001:db8::1\")", false)]
    public void CidrContains_TreatsIpv4MappedAddressesAsIpv4(string expr, bool expected) =>
        Assert.Equal(RegoValue.Boolean(expected), Value(expr));

    [Fact]
    public void CidrContainsMatches_TreatsIpv4MappedAddressesAsIpv4() =>
        Assert.Equal(
            RegoValue.Boolean(true),
            Value("net.cidr_contains_matches([\"10.0.0.0/8\", \"192.0.2.0/24\"], {\"a\": \"::ffff:192.0.2.10\", \"b\": \"10.1.2.3\"}) == {[0, \"b\"], [1, \"a\"]}"));

    [Theory]
    [InlineData("03.9.1", true)]
    [InlineData("1.02.003", true)]
    [InlineData("1.0.0-rc.01", true)]
    [InlineData("1.0.0-", true)]
    [InlineData("1.0.0+build.007", true)]
    [InlineData("v1.0.0", false)]
    [InlineData("1.0", false)]
    [InlineData("1.0.0.0", false)]
    [InlineData("1.0.0-a_b", false)]
    [InlineData("99999999999999999999.0.0", false)]
    public void SemverIsValid_AcceptsLeadingZerosAsOpaDoes(string version, bool valid) =>
        Assert.Equal(RegoValue.Boolean(valid), Value($"semver.is_valid(\"{version}\")"));

    [Theory]
    [InlineData("03.9.1", "3.9.1", 0)]
    [InlineData("3.09.1", "3.10.0", -1)]
    [InlineData("1.0.0-rc.02", "1.0.0-rc.2", 0)]
    [InlineData("1.0.0-rc.010", "1.0.0-rc.9", 1)]
    [InlineData("1.0.0-alpha", "1.0.0", -1)]
    public void SemverCompare_ReadsNumbersWithLeadingZeros(string a, string b, int expected) =>
        Assert.Equal(RegoValue.FromObject((long)expected), Value($"semver.compare(\"{a}\", \"{b}\")"));
}
