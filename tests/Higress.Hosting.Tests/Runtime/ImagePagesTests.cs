using System.Text.RegularExpressions;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>
/// <see cref="ImagePages"/> reads <c>/proc/PID/smaps</c> and releases only mappings whose pages equal their file's
/// contents; the real trim runs on this test process, which must keep working afterwards.
/// </summary>
public sealed class ImagePagesTests
{
    private const string Smaps = """
        7f1c0a800000-7f1c0b6db000 r--s 00000000 fe:00 350922                     /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll
        Size:              15212 kB
        Rss:                3136 kB
        Anonymous:             0 kB
        VmFlags: rd sh mr mw me ms sd
        7f1c1afdc000-7f1c1b35e000 rw-p 00b4c000 fe:00 350922                     /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll
        Rss:                2248 kB
        Anonymous:           232 kB
        7f1c20000000-7f1c20021000 rw-p 00000000 00:00 0 
        Rss:                 132 kB
        Anonymous:           132 kB
        7f1c30000000-7f1c30100000 r-xp 00000000 fe:00 42                          /opt/my app/lib native.so.1
        Rss:                  64 kB
        Anonymous:             0 kB
        """;

    [Fact]
    public void Parse_ReadsRangePermissionsPathAndPageCounts()
    {
        var mappings = ImagePages.Parse(new StringReader(Smaps));

        Assert.Equal(4, mappings.Count);
        Assert.Equal(new ImagePages.Mapping(0x7f1c0a800000, 0x7f1c0b6db000, "r--s", "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll", 3136, 0), mappings[0]);
        Assert.Equal(232, mappings[1].AnonymousKb);
        Assert.Equal("", mappings[2].Path);
        Assert.Equal("/opt/my app/lib native.so.1", mappings[3].Path);
        Assert.Equal(64, mappings[3].RssKb);
    }

    [Theory]
    [InlineData("r-xp", "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll", 0, true)]
    [InlineData("r--s", "/app/Higress.Core.dll", 0, true)]
    [InlineData("r--p", "/usr/lib/x86_64-linux-gnu/libssl.so.3", 0, true)]
    [InlineData("r-xp", "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so", 0, true)]
    [InlineData("r--p", "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so", 160, false)] // RELRO: relocated, then made read-only
    [InlineData("rw-p", "/app/Higress.Core.dll", 0, false)]
    [InlineData("rw-s", "/app/Higress.Core.dll", 0, false)]
    [InlineData("---p", "/app/Higress.Core.dll", 0, false)]
    [InlineData("r-xs", "/memfd:doublemapper (deleted)", 0, false)] // the JIT's code heap
    [InlineData("r-xp", "/app/libgone.so (deleted)", 0, false)]
    [InlineData("r--p", "/app/appsettings.json", 0, false)]
    [InlineData("r-xp", "[vdso]", 0, false)]
    [InlineData("r--p", "", 0, false)]
    public void IsTrimmable_OnlyUnmodifiedReadOnlyImageMappings(string permissions, string path, long anonymousKb, bool trimmable)
    {
        Assert.Equal(trimmable, ImagePages.IsTrimmable(new ImagePages.Mapping(0x1000, 0x2000, permissions, path, 4, anonymousKb)));
    }

    [Fact]
    public void Trim_ReleasesThisProcessesImagePages_AndCodeRunsOn()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var released = ImagePages.Trim();

        Assert.True(released.Mappings > 0);
        Assert.True(released.RssKb > 0);
        using var smaps = new StreamReader("/proc/self/smaps");
        var corelib = ImagePages.Parse(smaps).Where(m => m.Path.EndsWith("System.Private.CoreLib.dll", StringComparison.Ordinal)).ToList();
        Assert.Contains(corelib, ImagePages.IsTrimmable);

        // The released pages fault back in from the page cache: code never run before and code run before both work.
        Assert.Matches(new Regex("^t(ri)+m$", RegexOptions.None, TimeSpan.FromSeconds(5)), "tririm");
        Assert.Equal("4", (2 + 2).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(HigressProfile.Sidecar, null, true)]
    [InlineData(HigressProfile.Default, null, false)]
    [InlineData(HigressProfile.Sidecar, false, false)]
    [InlineData(HigressProfile.Default, true, true)]
    public void TrimsImagePages_OnInTheSidecarProfile_UnlessSet(HigressProfile profile, bool? setting, bool expected)
    {
        var options = new HigressOptions { Profile = profile, Sidecar = { TrimImagePages = setting } };

        Assert.Equal(expected && OperatingSystem.IsLinux(), SidecarProfile.TrimsImagePages(options));
    }
}
