using Higress.Opa.Values;

namespace Higress.Opa.Builtins;

/// <summary>Built-ins that belong to the evaluator: comparison, arithmetic, set operators, membership, walk, opa.runtime.</summary>
internal static class CoreBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("equal", (a, b, _) => RegoValue.Boolean(a.Equals(b)));
        r.Register2("neq", (a, b, _) => RegoValue.Boolean(!a.Equals(b)));
        r.Register2("lt", (a, b, _) => RegoValue.Boolean(RegoValue.Compare(a, b) < 0));
        r.Register2("gt", (a, b, _) => RegoValue.Boolean(RegoValue.Compare(a, b) > 0));
        r.Register2("lte", (a, b, _) => RegoValue.Boolean(RegoValue.Compare(a, b) <= 0));
        r.Register2("gte", (a, b, _) => RegoValue.Boolean(RegoValue.Compare(a, b) >= 0));
        r.Register2("plus", (a, b, _) => Arith(a, b, RegoNumber.Add));
        r.Register2("mul", (a, b, _) => Arith(a, b, RegoNumber.Multiply));
        r.Register2("minus", (a, b, _) => Minus(a, b));
        r.Register2("div", (a, b, _) => Divide(a, b));
        r.Register2("rem", (a, b, _) => Rem(a, b));
        r.Register2("and", (a, b, _) => Operand.AsSet(a, 1).Intersect(Operand.AsSet(b, 2)));
        r.Register2("or", (a, b, _) => Operand.AsSet(a, 1).Union(Operand.AsSet(b, 2)));
        r.Register2("internal.member_2", (x, coll, _) => RegoValue.Boolean(Member(x, coll)));
        r.Register3("internal.member_3", (k, v, coll, _) => RegoValue.Boolean(Member3(k, v, coll)));
        r.Register0("opa.runtime", c => c.Runtime, BuiltinFlags.Nondeterministic);
        r.Register2("rego.parse_module", (file, text, _) =>
        {
            try
            {
                return Syntax.AstJson.Module(new Syntax.Parser(Operand.AsString(file, 1), Operand.AsString(text, 2)).ParseModule());
            }
            catch (RegoException e)
            {
                throw BuiltinException.Error(e.FullMessage);
            }
        });
        r.Register0("rego.metadata.rule", _ => RegoObject.Empty);
        r.Register0("rego.metadata.chain", _ => RegoArray.Empty);
        r.Register1("trace", (a, _) => { Operand.AsString(a, 1); return RegoValue.True; });
        r.RegisterGenerator("walk", 1, (args, c) => Walk(args[0], c));
        r.Register1("internal.template_string", (parts, _) => TemplateString(Operand.AsArray(parts, 1)));
    }

    private static RegoNumber Arith(RegoValue a, RegoValue b, Func<RegoNumber, RegoNumber, RegoNumber> op)
    {
        var x = Operand.AsNumber(a, 1);
        var y = Operand.AsNumber(b, 2);
        try
        {
            return op(x, y);
        }
        catch (OverflowException e)
        {
            throw BuiltinException.Error(e.Message);
        }
    }

    private static RegoValue Minus(RegoValue a, RegoValue b)
    {
        if (a is RegoNumber x && b is RegoNumber y)
        {
            return RegoNumber.Subtract(x, y);
        }
        if (a is RegoSet s && b is RegoSet t)
        {
            return s.Except(t);
        }
        if (a is not RegoNumber and not RegoSet)
        {
            throw BuiltinException.OperandType(1, a, "number", "set");
        }
        if (b is not RegoNumber and not RegoSet)
        {
            throw BuiltinException.OperandType(2, b, "number", "set");
        }
        throw BuiltinException.OperandType(2, b, a.TypeName);
    }

    private static RegoNumber Divide(RegoValue a, RegoValue b)
    {
        var x = Operand.AsNumber(a, 1);
        var y = Operand.AsNumber(b, 2);
        return RegoNumber.Divide(x, y) ?? throw BuiltinException.Error("divide by zero");
    }

    private static RegoNumber Rem(RegoValue a, RegoValue b)
    {
        var x = Operand.AsNumber(a, 1);
        var y = Operand.AsNumber(b, 2);
        if (!x.IsInteger || !y.IsInteger)
        {
            throw BuiltinException.Error("modulo on floating-point number");
        }
        return RegoNumber.Remainder(x, y) ?? throw BuiltinException.Error("modulo by zero");
    }

    private static RegoString TemplateString(RegoArray parts)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var p in parts.AsSpan())
        {
            switch (p)
            {
                case RegoString s:
                    sb.Append(s.Value);
                    break;
                case RegoArray values when values.Count == 0:
                    sb.Append("<undefined>");
                    break;
                case RegoArray values:
                    for (int i = 0; i < values.Count; i++)
                    {
                        if (i > 0) sb.Append(", ");
                        sb.Append(values[i] is RegoString vs ? vs.Value : values[i].ToString());
                    }
                    break;
            }
        }
        return RegoString.Create(sb.ToString());
    }

    internal static bool Member(RegoValue x, RegoValue coll)
    {
        switch (coll)
        {
            case RegoSet s:
                return s.Contains(x);
            case RegoArray a:
                foreach (var e in a.AsSpan())
                {
                    if (e.Equals(x)) return true;
                }
                return false;
            case RegoObject o:
                foreach (var e in o.Values)
                {
                    if (e.Equals(x)) return true;
                }
                return false;
            default:
                return false;
        }
    }

    internal static bool Member3(RegoValue k, RegoValue v, RegoValue coll)
    {
        switch (coll)
        {
            case RegoArray a:
                return k is RegoNumber n && n.TryGetInt32(out int i) && n.IsInteger && i >= 0 && i < a.Count && a[i].Equals(v);
            case RegoObject o:
                return o.TryGetValue(k, out var got) && got.Equals(v);
            default:
                return false;
        }
    }

    private static IEnumerable<RegoValue> Walk(RegoValue root, BuiltinContext c)
    {
        var results = new List<RegoValue>();
        var path = new List<RegoValue>();
        WalkInto(root, path, results, c);
        return results;
    }

    private static void WalkInto(RegoValue v, List<RegoValue> path, List<RegoValue> results, BuiltinContext c)
    {
        if ((results.Count & 1023) == 1023)
        {
            c.CheckLimits();
        }
        results.Add(RegoArray.Create(RegoArray.Create(path), v));
        switch (v)
        {
            case RegoArray a:
                for (int i = 0; i < a.Count; i++)
                {
                    path.Add(RegoNumber.FromInt64(i));
                    WalkInto(a[i], path, results, c);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case RegoObject o:
                var keys = o.Keys;
                var vals = o.Values;
                for (int i = 0; i < keys.Length; i++)
                {
                    path.Add(keys[i]);
                    WalkInto(vals[i], path, results, c);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case RegoSet s:
                foreach (var e in s.AsSpan())
                {
                    path.Add(e);
                    WalkInto(e, path, results, c);
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
    }
}
