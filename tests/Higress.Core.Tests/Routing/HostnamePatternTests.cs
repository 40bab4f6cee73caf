using Higress.Core.Routing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Routing;

/// <summary>The one hostname-pattern semantic, and the places that must agree with it.</summary>
public sealed class HostnamePatternTests
{
    // pattern, name, matches
    public static TheoryData<string, string, bool> Table => new()
    {
        { "a.com", "a.com", true },
        { "a.com", "A.COM", true },
        { "a.com", "b.a.com", false },
        { "a.com", "*.a.com", false },
        { "*.a.com", "x.a.com", true },
        { "*.a.com", "X.A.com", true },
        { "*.a.com", "x.y.a.com", true },
        { "*.a.com", "a.com", false },
        { "*.a.com", "xa.com", false },
        { "*.a.com", ".a.com", false },
        { "*.a.com", "*.a.com", true },
        { "*.a.com", "*.x.a.com", true },
        { "*.x.a.com", "*.a.com", false },
        { "*.a.com", "x.b.com", false },
        { "*.com", "a.b.com", true },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Matches_follows_the_table(string pattern, string name, bool matches) =>
        Assert.Equal(matches, HostnamePattern.Matches(pattern, name));

    [Theory]
    [MemberData(nameof(Table))]
    public void The_request_index_agrees_with_the_table_for_request_hosts(string pattern, string name, bool matches)
    {
        if (HostnamePattern.IsWildcard(name))
        {
            return; // A request carries a concrete host.
        }

        var index = new HostIndex<string>();
        index.GetOrAdd(pattern, () => pattern);
        Assert.Equal(matches, index.Find(name) is not null);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Listener_and_route_hostnames_intersect_when_one_matches_the_other(string pattern, string name, bool matches)
    {
        var common = Hostnames.IntersectOne(pattern, name);
        Assert.Equal(matches || HostnamePattern.Matches(name, pattern), common is not null);
        if (matches)
        {
            Assert.Equal(name, common);
        }
    }

    [Fact]
    public void The_index_prefers_exact_then_the_longest_wildcard_then_any()
    {
        var index = new HostIndex<string>();
        foreach (var pattern in new[] { "*", "*.com", "*.a.com", "x.a.com" })
        {
            index.GetOrAdd(pattern, () => pattern);
        }

        Assert.Equal(["x.a.com", "*.a.com", "*.com", "*"], [.. Candidates(index, "X.a.com")]);
        Assert.Equal(["*.a.com", "*.com", "*"], [.. Candidates(index, "y.a.com")]);
        Assert.Equal(["*"], [.. Candidates(index, "localhost")]);
    }

    private static List<string> Candidates(HostIndex<string> index, string host)
    {
        var found = new List<string>();
        foreach (var value in index.Candidates(host))
        {
            found.Add(value);
        }

        return found;
    }
}
