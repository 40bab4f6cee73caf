using Higress.Core.Routing;

namespace Higress.Core.Tests.Routing;

/// <summary>
/// The pure path normalizer (src/Higress.Core/Routing/PathNormalizer.cs), case by case: the wire form, the decoded
/// form matching sees, or the refusal.
/// </summary>
public sealed class PathNormalizerTests
{
    public static TheoryData<EscapedSlashAction, bool, string, string?, string?> Cases() => new()
    {
        // escaped slashes, merge slashes, raw, wire (null: refused), decoded
        { EscapedSlashAction.Reject, true, "/a/b", "/a/b", "/a/b" },
        { EscapedSlashAction.Reject, true, "", "/", "/" },
        { EscapedSlashAction.Reject, true, "/a/%2e%2e/b", "/b", "/b" },
        { EscapedSlashAction.Reject, true, "/a/%2E%2e/../../..", "/", "/" },
        { EscapedSlashAction.Reject, true, "/a/b/..", "/a/", "/a/" },
        { EscapedSlashAction.Reject, true, "/a/./b/.", "/a/b/", "/a/b/" },
        { EscapedSlashAction.Reject, true, "//a//b//", "/a/b/", "/a/b/" },
        { EscapedSlashAction.Reject, false, "//a//b//", "//a//b//", "//a//b//" },
        { EscapedSlashAction.Reject, false, "/a//../b", "/a/b", "/a/b" },
        { EscapedSlashAction.Reject, true, "/%7e%41%5f", "/~A_", "/~A_" },
        { EscapedSlashAction.Reject, true, "/%c3%a9%20x", "/%C3%A9%20x", "/é x" },
        { EscapedSlashAction.Reject, true, "/%f0%9f%98%80", "/%F0%9F%98%80", "/😀" },
        { EscapedSlashAction.Reject, true, "/a%3bb%3F", "/a%3Bb%3F", "/a;b?" },
        { EscapedSlashAction.Reject, true, "/%252e%252e/x", "/%252e%252e/x", "/%2e%2e/x" },
        { EscapedSlashAction.Reject, true, "/a\"b", "/a%22b", "/a\"b" },
        { EscapedSlashAction.Reject, true, "/a/%2Fb", null, null },
        { EscapedSlashAction.Reject, true, "/a/%5cb", null, null },
        { EscapedSlashAction.Reject, true, "/a\\b", null, null },
        { EscapedSlashAction.Reject, true, "/a%00", null, null },
        { EscapedSlashAction.Reject, true, "/a%0a", null, null },
        { EscapedSlashAction.Reject, true, "/a%7F", null, null },
        { EscapedSlashAction.Reject, true, "/a%g0", null, null },
        { EscapedSlashAction.Reject, true, "/a%", null, null },
        { EscapedSlashAction.Reject, true, "/a%c3", null, null },
        { EscapedSlashAction.Reject, true, "/a;b", null, null },
        { EscapedSlashAction.Reject, true, "/a/é", null, null },
        { EscapedSlashAction.Keep, true, "/a/%2fb/%5C", "/a/%2Fb/%5C", "/a/%2Fb/%5C" },
        { EscapedSlashAction.Keep, true, "/a\\b", "/a%5Cb", "/a%5Cb" },
        { EscapedSlashAction.Keep, true, "/a/%252F/%25", "/a/%252F/%25", "/a/%252F/%25" },
        { EscapedSlashAction.Keep, true, "/x/%2F..%2F..", "/x/%2F..%2F..", "/x/%2F..%2F.." },
        { EscapedSlashAction.Decode, true, "/a%2Fb%5cc\\d", "/a/b/c/d", "/a/b/c/d" },
        { EscapedSlashAction.Decode, true, "/x%2F..%2F..%2Fadmin", "/admin", "/admin" },
        { EscapedSlashAction.Decode, true, "/x%2F%2Fy", "/x/y", "/x/y" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Normalize(EscapedSlashAction escapedSlashes, bool mergeSlashes, string raw, string? wire, string? decoded)
    {
        var normalizer = new PathNormalizer(escapedSlashes, mergeSlashes);
        var result = normalizer.Normalize(raw);

        if (wire is null)
        {
            Assert.NotNull(result.Error);
            return;
        }

        Assert.Null(result.Error);
        Assert.Equal(wire, result.Wire);
        Assert.Equal(decoded, result.Decoded);
        Assert.True(!normalizer.IsNormal(raw) || wire == raw, "a path IsNormal calls normal must be its own normal form");
        Assert.Equal(wire, normalizer.EncodeForWire(result.Decoded));
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/a/b.c/..d/.e/", true)]
    [InlineData("/a//b", false)]
    [InlineData("/a/./b", false)]
    [InlineData("/a/..", false)]
    [InlineData("/a%20b", false)]
    [InlineData("/a;b", false)]
    [InlineData("a", false)]
    public void IsNormal_TellsWhichPathsNeedNoWork(string raw, bool normal)
    {
        Assert.Equal(normal, new PathNormalizer(EscapedSlashAction.Reject, mergeSlashes: true).IsNormal(raw));
    }

    [Fact]
    public void Refusals_SayWhatIsWrongAndHowToFixIt()
    {
        var normalizer = new PathNormalizer(EscapedSlashAction.Reject, mergeSlashes: true);
        Assert.Contains("Higress:Security:EscapedSlashes", normalizer.Normalize("/a%2Fb").Error, StringComparison.Ordinal);
        Assert.Contains("%3B", normalizer.Normalize("/a;b").Error, StringComparison.Ordinal);
        Assert.Contains("%25", normalizer.Normalize("/a%zz").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeForWire_EncodesWhatARewriteProduced()
    {
        Assert.Equal("/a%20b/%3B/%25/%C3%A9", new PathNormalizer(EscapedSlashAction.Reject, true).EncodeForWire("/a b/;/%/é"));
        Assert.Equal("/a%2Fb/%25", new PathNormalizer(EscapedSlashAction.Keep, true).EncodeForWire("/a%2Fb/%25"));
    }
}
