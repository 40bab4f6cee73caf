using System.Numerics;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class NumberBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("abs", (a, _) => Operand.AsNumber(a, 1).Abs());
        r.Register1("round", (a, _) => Operand.AsNumber(a, 1).Round());
        r.Register1("ceil", (a, _) => Operand.AsNumber(a, 1).Ceiling());
        r.Register1("floor", (a, _) => Operand.AsNumber(a, 1).Floor());
        r.Register2("numbers.range", (a, b, ctx) =>
        {
            var x = LibraryHelpers.AsBigInteger(a, 1);
            var y = LibraryHelpers.AsBigInteger(b, 2);
            return Range(x, y, BigInteger.One, ctx);
        });
        r.Register3("numbers.range_step", (a, b, s, ctx) =>
        {
            var x = LibraryHelpers.AsBigInteger(a, 1);
            var y = LibraryHelpers.AsBigInteger(b, 2);
            var step = LibraryHelpers.AsBigInteger(s, 3);
            if (step.Sign <= 0)
            {
                throw BuiltinException.Error("step must be a positive integer");
            }
            return Range(x, y, step, ctx);
        });
        r.Register2("rand.intn", (a, b, ctx) =>
        {
            string str = Operand.AsString(a, 1);
            long n = LibraryHelpers.AsInt64(b, 2);
            if (n == 0)
            {
                return RegoNumber.Zero;
            }
            if (n < 0)
            {
                n = -n;
            }
            var key = ("rand.intn", str, n);
            if (ctx.Cache.TryGetValue(key, out var cached) && cached is RegoValue v)
            {
                return v;
            }
            var result = RegoNumber.FromInt64(Random.Shared.NextInt64(n));
            ctx.Cache[key] = result;
            return result;
        }, BuiltinFlags.Nondeterministic);
    }

    private static RegoArray Range(BigInteger x, BigInteger y, BigInteger step, BuiltinContext ctx)
    {
        var list = new List<RegoValue>();
        if (x <= y)
        {
            for (var i = x; i <= y; i += step)
            {
                Add(list, i, ctx);
            }
        }
        else
        {
            for (var i = x; i >= y; i -= step)
            {
                Add(list, i, ctx);
            }
        }
        return RegoArray.Create(list);
    }

    private static void Add(List<RegoValue> list, BigInteger i, BuiltinContext ctx)
    {
        if ((list.Count & 1023) == 1023)
        {
            ctx.CheckLimits();
        }
        list.Add(RegoNumber.FromBigInteger(i));
    }
}
