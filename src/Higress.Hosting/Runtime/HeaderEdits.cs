using Higress.Core.Plan;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Runtime;

/// <summary>Applies a <see cref="HeaderModifier"/> to a header dictionary: set, then add (append), then remove.</summary>
internal static class HeaderEdits
{
    public static void Apply(IHeaderDictionary headers, HeaderModifier modifier)
    {
        if (modifier.IsEmpty)
        {
            return;
        }

        foreach (var set in modifier.Set)
        {
            headers[set.Name] = set.Value;
        }

        foreach (var add in modifier.Add)
        {
            headers[add.Name] = headers.TryGetValue(add.Name, out var existing) ? StringValues.Concat(existing, add.Value) : new StringValues(add.Value);
        }

        foreach (var name in modifier.Remove)
        {
            headers.Remove(name);
        }
    }
}
