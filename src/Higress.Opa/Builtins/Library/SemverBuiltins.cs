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

    [GeneratedRegex(@"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?\z", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex SemverPattern();

    private sealed record Version(BigInteger Major, BigInteger Minor, BigInteger Patch, string[] Pre);

    private static Version? Parse(string s)
    {
        if (s.StartsWith('v'))
        {
            return null;
        }
        var m = SemverPattern().Match(s);
        if (!m.Success)
        {
            return null;
        }
        return new Version(
            BigInteger.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            BigInteger.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            BigInteger.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture),
            m.Groups[4].Success ? m.Groups[4].Value.Split('.') : []);
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
