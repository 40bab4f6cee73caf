using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class AggregateBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("count", (a, _) => a switch
        {
            RegoArray x => LibraryHelpers.Int(x.Count),
            RegoSet x => LibraryHelpers.Int(x.Count),
            RegoObject x => LibraryHelpers.Int(x.Count),
            RegoString x => LibraryHelpers.Int(LibraryHelpers.RuneCount(x.Value)),
            _ => throw BuiltinException.OperandType(1, a, "array", "object", "set", "string"),
        });
        r.Register1("sum", (a, _) => Fold(a, RegoNumber.Zero, RegoNumber.Add));
        r.Register1("product", (a, _) => Fold(a, RegoNumber.One, RegoNumber.Multiply));
        r.Register1("max", (a, _) => Extreme(a, 1));
        r.Register1("min", (a, _) => Extreme(a, -1));
        r.Register1("sort", (a, _) =>
        {
            var items = Operand.AsArrayOrSet(a, 1).ToArray();
            if (a is RegoArray)
            {
                Array.Sort(items, RegoValue.Compare);
            }
            return RegoArray.Create(items);
        });
    }

    private static RegoNumber Fold(RegoValue a, RegoNumber seed, Func<RegoNumber, RegoNumber, RegoNumber> op)
    {
        var acc = seed;
        foreach (var e in Operand.AsArrayOrSet(a, 1))
        {
            if (e is not RegoNumber n)
            {
                throw BuiltinException.TypeError($"operand 1 must be array of numbers but got {a.TypeName} containing {e.TypeName}");
            }
            try
            {
                acc = op(acc, n);
            }
            catch (OverflowException ex)
            {
                throw BuiltinException.Error(ex.Message);
            }
        }
        return acc;
    }

    private static RegoValue? Extreme(RegoValue a, int sign)
    {
        RegoValue? best = null;
        foreach (var e in Operand.AsArrayOrSet(a, 1))
        {
            if (best is null || RegoValue.Compare(e, best) * sign > 0)
            {
                best = e;
            }
        }
        return best;
    }
}
