using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// Zone abbreviations ("EST", "IST") for Go's "MST" layout element, read from the system's TZif files (.NET does not
/// expose them). Falls back to Go's numeric form ("-05", "+0530") when no abbreviation is known.
/// </summary>
internal static class TimeZoneAbbreviations
{
    private static readonly ConcurrentDictionary<string, Dictionary<int, string>> Cache = new(StringComparer.Ordinal);

    public static string For(TimeZoneInfo zone, TimeSpan offset)
    {
        int seconds = (int)offset.TotalSeconds;
        var map = Cache.GetOrAdd(zone.Id, Load);
        if (map.TryGetValue(seconds, out var abbrev))
        {
            return abbrev;
        }
        int minutes = Math.Abs(seconds) / 60;
        string s = (seconds < 0 ? "-" : "+") + (minutes / 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
        return minutes % 60 == 0 ? s : s + (minutes % 60).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads one TZif data block (v1: 4-byte times, v2+: 8-byte times); fills map; returns the block's end.</summary>
    private static int Block(byte[] b, int start, int timeSize, Dictionary<int, string>? map)
    {
        int Count(int i) => (int)BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(start + 20 + i * 4, 4));
        int isutcnt = Count(0), isstdcnt = Count(1), leapcnt = Count(2), timecnt = Count(3), typecnt = Count(4), charcnt = Count(5);
        int pos = start + 44 + timecnt * timeSize;
        int end = pos + timecnt + typecnt * 6 + charcnt + leapcnt * (timeSize + 4) + isstdcnt + isutcnt;
        if (map is null || end > b.Length)
        {
            return end;
        }
        var typeIdx = b.AsSpan(pos, timecnt).ToArray();
        pos += timecnt;
        var types = new (int Off, int Abbr)[typecnt];
        for (int i = 0; i < typecnt; i++)
        {
            types[i] = (BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(pos + i * 6, 4)), b[pos + i * 6 + 5]);
        }
        pos += typecnt * 6;
        string chars = System.Text.Encoding.ASCII.GetString(b, pos, charcnt);
        string Abbr(int t)
        {
            int s = Math.Min(types[t].Abbr, chars.Length);
            int e = chars.IndexOf('\0', s);
            return e < 0 ? chars[s..] : chars[s..e];
        }
        for (int t = 0; t < typecnt; t++)
        {
            map[types[t].Off] = Abbr(t);
        }
        // Later transitions win, so an offset keeps its most recent abbreviation.
        foreach (byte t in typeIdx)
        {
            if (t < typecnt)
            {
                map[types[t].Off] = Abbr(t);
            }
        }
        return end;
    }

    private static Dictionary<int, string> Load(string id)
    {
        var map = new Dictionary<int, string>();
        try
        {
            if (id.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(id))
            {
                return map;
            }
            string path = Path.Combine("/usr/share/zoneinfo", id);
            if (!File.Exists(path))
            {
                return map;
            }
            var b = File.ReadAllBytes(path);
            if (b.Length < 44 || b[0] != 'T' || b[1] != 'Z' || b[2] != 'i' || b[3] != 'f')
            {
                return map;
            }
            int v1Len = Block(b, 0, 4, null);
            if (b.Length > v1Len + 44 && b[4] >= '2')
            {
                Block(b, v1Len, 8, map);
            }
            else
            {
                Block(b, 0, 4, map);
            }
            foreach (var key in map.Where(kv => kv.Value.Length > 0 && (kv.Value[0] is '+' or '-')).Select(kv => kv.Key).ToList())
            {
                map.Remove(key);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (ArgumentException)
        {
            // malformed TZif data: no abbreviations
        }
        return map;
    }
}
