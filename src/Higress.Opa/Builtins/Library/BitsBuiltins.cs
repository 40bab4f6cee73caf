using System.Numerics;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class BitsBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("bits.or", (a, b, _) => Num(LibraryHelpers.AsBigInteger(a, 1) | LibraryHelpers.AsBigInteger(b, 2)));
        r.Register2("bits.and", (a, b, _) => Num(LibraryHelpers.AsBigInteger(a, 1) & LibraryHelpers.AsBigInteger(b, 2)));
        r.Register2("bits.xor", (a, b, _) => Num(LibraryHelpers.AsBigInteger(a, 1) ^ LibraryHelpers.AsBigInteger(b, 2)));
        r.Register1("bits.negate", (a, _) => Num(-LibraryHelpers.AsBigInteger(a, 1) - 1));
        r.Register2("bits.lsh", (a, b, _) => Num(LibraryHelpers.AsBigInteger(a, 1) << Shift(b)));
        r.Register2("bits.rsh", (a, b, _) => Num(LibraryHelpers.AsBigInteger(a, 1) >> Shift(b)));
    }

    private static RegoNumber Num(BigInteger b) => RegoNumber.FromBigInteger(b);

    private static int Shift(RegoValue b)
    {
        var s = LibraryHelpers.AsBigInteger(b, 2);
        if (s.Sign < 0)
        {
            throw BuiltinException.TypeError("operand 2 must be an unsigned integer number but got a negative integer");
        }
        if (s > 1 << 20)
        {
            throw BuiltinException.Error("operand 2 is too large");
        }
        return (int)s;
    }
}
