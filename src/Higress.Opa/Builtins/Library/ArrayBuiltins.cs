using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class ArrayBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("array.concat", (a, b, _) =>
        {
            var x = Operand.AsArray(a, 1);
            var y = Operand.AsArray(b, 2);
            var items = new RegoValue[x.Count + y.Count];
            x.AsSpan().CopyTo(items);
            y.AsSpan().CopyTo(items.AsSpan(x.Count));
            return RegoArray.Create(items);
        });
        r.Register3("array.slice", (a, b, c, _) =>
        {
            var x = Operand.AsArray(a, 1);
            long start = LibraryHelpers.AsInt64(b, 2);
            long stop = LibraryHelpers.AsInt64(c, 3);
            if (start < 0)
            {
                start = 0;
            }
            if (stop > x.Count)
            {
                stop = x.Count;
            }
            if (start >= stop)
            {
                return RegoArray.Empty;
            }
            return RegoArray.Create(x.AsSpan()[(int)start..(int)stop]);
        });
        r.Register1("array.reverse", (a, _) =>
        {
            var items = Operand.AsArray(a, 1).AsSpan().ToArray();
            Array.Reverse(items);
            return RegoArray.Create(items);
        });
        r.Register1("array.flatten", (a, _) =>
        {
            var list = new List<RegoValue>();
            Flatten(Operand.AsArray(a, 1), list);
            return RegoArray.Create(list);
        });
    }

    private static void Flatten(RegoArray a, List<RegoValue> list)
    {
        foreach (var e in a.AsSpan())
        {
            if (e is RegoArray inner)
            {
                list.AddRange(inner);
            }
            else
            {
                list.Add(e);
            }
        }
    }
}
