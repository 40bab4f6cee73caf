using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class SetBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("intersection", (a, _) =>
        {
            var sets = Operand.AsSet(a, 1);
            RegoSet? acc = null;
            foreach (var e in sets.AsSpan())
            {
                var s = e as RegoSet ?? throw BuiltinException.TypeError($"operand 1 must be set of sets but got set containing {e.TypeName}");
                acc = acc is null ? s : acc.Intersect(s);
            }
            return acc ?? RegoSet.Empty;
        });
        r.Register1("union", (a, _) =>
        {
            var sets = Operand.AsSet(a, 1);
            var acc = RegoSet.Empty;
            foreach (var e in sets.AsSpan())
            {
                var s = e as RegoSet ?? throw BuiltinException.TypeError($"operand 1 must be set of sets but got set containing {e.TypeName}");
                acc = acc.Union(s);
            }
            return acc;
        });
    }
}
