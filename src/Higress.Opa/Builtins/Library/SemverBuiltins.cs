using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static partial class SemverBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("semver.is_valid", (a, _) => RegoValue.Boolean(a is RegoString s && Parse(s.Value) is not null));
        r.Register2("semver.compare", (a, b, _) =>
        {
            var x = Parse(Operand.AsString(a, 1)) ?? throw BuiltinException.Error($"operand 1: string \"{((RegoString)a).Value}\" is not a valid SemVer");
            var y = Parse(Operand.AsString(b, 2)) ?? throw BuiltinException.Error($"operand 2: string \"{((RegoString)b).Value}\" is not a valid SemVer");
            return RegoNumber.FromInt64(Compare(x, y));
        });
    }

    // OPA cuts metadata at the first '+' and the pre-release at the first '-', then reads major, minor and patch as
    // int64 (leading zeros allowed: "03.9.1" equals "3.9.1"); identifiers are [0-9A-Za-z-] dot-separated, and an empty
    // pre-release or metadata after its separator is accepted
    [GeneratedRegex(@"^([0-9]+)\.([0-9]+)\.([0-9]+)(?:-((?:[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?))?(?:\+(?:[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SemverPattern();

    private sealed record Version(long Major, long Minor, long Patch, string[] Pre);

    private static Version? Parse(string s)
    {
        var m = SemverPattern().Match(s);
        if (!m.Success
            || !long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long major)
            || !long.TryParse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long minor)
            || !long.TryParse(m.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out long patch))
        {
            return null;
        }
        return new Version(major, minor, patch, m.Groups[4].Length > 0 ? m.Groups[4].Value.Split('.') : []);
    }

    private static int Compare(Version a, Version b)
    {
        int c = a.Major.CompareTo(b.Major);
        if (c == 0) c = a.Minor.CompareTo(b.Minor);
        if (c == 0) c = a.Patch.CompareTo(b.Patch);
        if (c != 0) return Math.Sign(c);
        if (a.Pre.Length == 0 || b.Pre.Length == 0)
        {
            return a.Pre.Length == b.Pre.Length ? 0 : a.Pre.Length == 0 ? 1 : -1;
        }
        for (int i = 0; i < Math.Min(a.Pre.Length, b.Pre.Length); i++)
        {
            string x = a.Pre[i], y = b.Pre[i];
            bool xn = x.All(char.IsAsciiDigit), yn = y.All(char.IsAsciiDigit);
            int d;
            if (xn && yn)
            {
                d = BigInteger.Parse(x, CultureInfo.InvariantCulture).CompareTo(BigInteger.Parse(y, CultureInfo.InvariantCulture));
            }
            else if (xn != yn)
            {
                d = xn ? -1 : 1;
            }
            else
            {
                d = string.CompareOrdinal(x, y);
            }
            if (d != 0)
            {
                return Math.Sign(d);
            }
        }
        return a.Pre.Length.CompareTo(b.Pre.Length);
    }
}
