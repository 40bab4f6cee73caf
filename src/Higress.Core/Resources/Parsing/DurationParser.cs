using System.Globalization;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Parses durations as Istio and the Gateway API write them: a sequence of number+unit, units h, m, s, ms, us, ns
/// (<c>2s</c>, <c>1m30s</c>, <c>100ms</c>, <c>1.5s</c>, <c>24h</c>); <c>0</c> alone is zero.
/// </summary>
internal static class DurationParser
{
    public const string Fix = "write a duration such as 100ms, 2s, 1m30s or 24h";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        if (s.Length == 0)
        {
            return false;
        }

        double totalTicks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            double ticksPerUnit = s[unitStart..i] switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                "ns" => 0.01,
                _ => -1,
            };
            if (ticksPerUnit < 0)
            {
                return false;
            }

            totalTicks += number * ticksPerUnit;
        }

        if (totalTicks > TimeSpan.MaxValue.Ticks)
        {
            return false;
        }

        value = TimeSpan.FromTicks((long)totalTicks);
        return true;
    }
}
