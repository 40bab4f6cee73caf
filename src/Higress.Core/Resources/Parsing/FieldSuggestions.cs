namespace Higress.Core.Resources.Parsing;

/// <summary>Suggests the field a misspelt one was meant to be.</summary>
internal static class FieldSuggestions
{
    public static string Suggest(string name, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Name: k, Distance: Levenshtein(name.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, name.Length / 4)
            ? $"did you mean '{best.Name}'?"
            : $"remove it or check the spelling; known fields: {string.Join(", ", known.Order(StringComparer.Ordinal))}";
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
