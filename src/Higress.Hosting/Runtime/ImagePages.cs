using System.Globalization;
using System.Runtime.InteropServices;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Releases the resident pages of the process's mapped images (.dll and .so files) once start-up is over
/// (<c>Higress:Sidecar:TrimImagePages</c>, docs/sidecar.md "Memory"). Start-up touches much more of the runtime,
/// ASP.NET Core and YARP than the steady state does, and those clean pages stay resident (counted in RSS) until the
/// kernel is short of memory. <c>madvise(MADV_DONTNEED)</c> unmaps them from this process only: the files stay in the
/// page cache, and a page the steady state still uses faults back in from there (a minor fault, no disk read).
/// MADV_PAGEOUT would not do: the kernel skips pages another process maps too, as every .NET process maps the shared
/// framework, and it needs write access to the file.
/// </summary>
/// <remarks>
/// Safe only for pages that equal the file's contents. So a mapping is released only when it is a readable,
/// non-writable mapping of a .dll or .so file holding no anonymous (copy-on-write) pages: that excludes relocated
/// sections (ld.so's RELRO, the runtime's writable image sections), the JIT's code heap (anonymous or memfd), the GC
/// heap and thread stacks. Shared read-only mappings qualify (the runtime maps each assembly's file whole that way,
/// for its metadata and IL): nothing can write through them. A library loaded while the trim runs is no risk either:
/// ld.so maps the sections it relocates writable (and excluded) until the relocation is done, and after that they hold
/// anonymous pages.
/// </remarks>
internal static class ImagePages
{
    private const int MadviseDontNeed = 4;

    /// <summary>One mapping of <c>/proc/PID/smaps</c>: its address range, permissions (<c>r-xp</c>), path and the kB of
    /// its resident and anonymous pages.</summary>
    internal sealed record Mapping(ulong Start, ulong End, string Permissions, string Path, long RssKb, long AnonymousKb);

    /// <summary>What <see cref="Trim"/> released: the mappings advised and their resident kB before.</summary>
    internal readonly record struct Released(int Mappings, long RssKb);

    /// <summary>Reads the mappings of <c>/proc/PID/smaps</c> text (header lines, then their <c>Name: value kB</c> fields).</summary>
    public static List<Mapping> Parse(TextReader smaps)
    {
        var mappings = new List<Mapping>();
        Mapping? current = null;
        while (smaps.ReadLine() is { } line)
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            if (!fields[0].EndsWith(':'))
            {
                if (current is not null)
                {
                    mappings.Add(current);
                }

                current = Header(fields);
            }
            else if (current is not null && fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                current = fields[0] switch
                {
                    "Rss:" => current with { RssKb = kb },
                    "Anonymous:" => current with { AnonymousKb = kb },
                    _ => current,
                };
            }
        }

        if (current is not null)
        {
            mappings.Add(current);
        }

        return mappings;
    }

    /// <summary>Whether the pages of <paramref name="mapping"/> can be dropped and read back from its file unchanged.</summary>
    public static bool IsTrimmable(Mapping mapping)
    {
        var p = mapping.Permissions;
        return p.Length == 4 && p[0] == 'r' && p[1] == '-' && (p[3] == 'p' || p[3] == 's')
            && mapping.AnonymousKb == 0
            && mapping.Path.StartsWith('/')
            && IsImage(Path.GetFileName(mapping.Path));
    }

    /// <summary>
    /// Releases every trimmable mapping of this process. Throws <see cref="IOException"/> with the errno when the
    /// kernel refuses (e.g. EINVAL where MADV_DONTNEED is not allowed on a mapping); the caller stops trying.
    /// </summary>
    public static Released Trim()
    {
        List<Mapping> mappings;
        using (var smaps = new StreamReader("/proc/self/smaps"))
        {
            mappings = Parse(smaps);
        }

        var count = 0;
        var kb = 0L;
        foreach (var mapping in mappings)
        {
            if (mapping.RssKb == 0 || !IsTrimmable(mapping))
            {
                continue;
            }

            if (Madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), MadviseDontNeed) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new IOException($"madvise(MADV_DONTNEED) on {mapping.Path} ({mapping.Permissions}) failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
            }

            count++;
            kb += mapping.RssKb;
        }

        return new Released(count, kb);
    }

    // "libcoreclr.so", "libssl.so.3", "System.Private.CoreLib.dll"; not "(deleted)" files or memfd code heaps.
    private static bool IsImage(string name) =>
        name.EndsWith(".dll", StringComparison.Ordinal) || name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);

    private static Mapping? Header(string[] fields)
    {
        var range = fields[0].Split('-');
        if (fields.Length < 5 || range.Length != 2
            || !ulong.TryParse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
        {
            return null;
        }

        return new Mapping(start, end, fields[1], fields.Length == 6 ? fields[5].Trim() : "", 0, 0);
    }

    // DllImport rather than LibraryImport: blittable arguments need no generated marshalling, nor unsafe code.
    [DllImport("libc", EntryPoint = "madvise", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Madvise(nint address, nuint length, int advice);
}
