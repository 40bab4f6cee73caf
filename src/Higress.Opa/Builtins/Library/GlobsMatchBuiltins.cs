using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// regex.globs_match: whether two "glob-like" regular expressions (literals, '.', [classes], escapes, with '*', '+', '?')
/// match a common string. Decided on the product of the two automata.
/// </summary>
internal static class GlobsMatchBuiltins
{
    private readonly record struct Item(List<(int Lo, int Hi)> Set, char Mod);

    public static void Register(BuiltinRegistry r)
    {
        r.Register2("regex.globs_match", (a, b, ctx) =>
        {
            var x = Parse(Operand.AsString(a, 1));
            var y = Parse(Operand.AsString(b, 2));
            return RegoValue.Boolean(Intersects(x, y, ctx));
        });
    }

    private static BuiltinException Invalid(string input, int pos, string what) =>
        BuiltinException.Error($"input:{input}, pos:{pos}, {what}: the input provided is invalid");

    private static List<Item> Parse(string s)
    {
        var items = new List<Item>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            List<(int, int)> set;
            switch (c)
            {
                case '.':
                    set = [(0, 0x10FFFF)];
                    i++;
                    break;
                case '\\':
                    if (i + 1 >= s.Length)
                    {
                        throw Invalid(s, i + 1, "escape at end of input");
                    }
                    set = [(s[i + 1], s[i + 1])];
                    i += 2;
                    break;
                case '[':
                    {
                        int j = i + 1;
                        bool neg = j < s.Length && s[j] == '^';
                        if (neg) j++;
                        var ranges = new List<(int, int)>();
                        while (j < s.Length && s[j] != ']')
                        {
                            int lo = s[j];
                            if (s[j] == '\\' && j + 1 < s.Length)
                            {
                                j++;
                                lo = s[j];
                            }
                            j++;
                            int hi = lo;
                            if (j + 1 < s.Length && s[j] == '-' && s[j + 1] != ']')
                            {
                                hi = s[j + 1] == '\\' && j + 2 < s.Length ? s[j + 2] : s[j + 1];
                                j += s[j + 1] == '\\' ? 3 : 2;
                            }
                            ranges.Add((Math.Min(lo, hi), Math.Max(lo, hi)));
                        }
                        if (j >= s.Length)
                        {
                            throw Invalid(s, i + 1, "set-open '[' with no closing ']'");
                        }
                        set = neg ? Complement(ranges) : ranges;
                        i = j + 1;
                        break;
                    }
                case ']':
                    throw Invalid(s, i + 1, "set-close ']' with no preceding '['");
                case '*' or '+' or '?':
                    throw Invalid(s, i + 1, $"modifier '{c}' with nothing to modify");
                default:
                    set = [(c, c)];
                    i++;
                    break;
            }
            char mod = '\0';
            if (i < s.Length && s[i] is '*' or '+' or '?')
            {
                mod = s[i];
                i++;
            }
            items.Add(new Item(set, mod));
        }
        return items;
    }

    private static List<(int, int)> Complement(List<(int Lo, int Hi)> ranges)
    {
        var sorted = ranges.OrderBy(x => x.Lo).ToList();
        var result = new List<(int, int)>();
        int next = 0;
        foreach (var (lo, hi) in sorted)
        {
            if (lo > next)
            {
                result.Add((next, lo - 1));
            }
            next = Math.Max(next, hi + 1);
        }
        if (next <= 0x10FFFF)
        {
            result.Add((next, 0x10FFFF));
        }
        return result;
    }

    private static bool Overlap(List<(int Lo, int Hi)> a, List<(int Lo, int Hi)> b) =>
        a.Any(x => b.Any(y => x.Lo <= y.Hi && y.Lo <= x.Hi));

    private static IEnumerable<int> Closure(List<Item> p, int i)
    {
        yield return i;
        while (i < p.Count && p[i].Mod is '*' or '?')
        {
            i++;
            yield return i;
        }
    }

    private static IEnumerable<int> Step(List<Item> p, int i)
    {
        // States reachable by consuming one character of item i.
        if (p[i].Mod is '*' or '+')
        {
            yield return i;
        }
        yield return i + 1;
    }

    private static bool Intersects(List<Item> x, List<Item> y, BuiltinContext ctx)
    {
        var seen = new HashSet<(int, int)>();
        var queue = new Queue<(int, int)>();
        foreach (int i in Closure(x, 0))
        {
            foreach (int j in Closure(y, 0))
            {
                if (seen.Add((i, j))) queue.Enqueue((i, j));
            }
        }
        while (queue.Count > 0)
        {
            if ((seen.Count & 1023) == 1023)
            {
                ctx.CheckLimits();
            }
            var (i, j) = queue.Dequeue();
            if (i == x.Count && j == y.Count)
            {
                return true;
            }
            if (i == x.Count || j == y.Count || !Overlap(x[i].Set, y[j].Set))
            {
                continue;
            }
            foreach (int ni in Step(x, i))
            {
                foreach (int nj in Step(y, j))
                {
                    foreach (int ci in Closure(x, ni))
                    {
                        foreach (int cj in Closure(y, nj))
                        {
                            if (seen.Add((ci, cj))) queue.Enqueue((ci, cj));
                        }
                    }
                }
            }
        }
        return false;
    }
}
