using System.Globalization;
using System.Text.RegularExpressions;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// json.verify_schema / json.match_schema: a JSON Schema (draft 4-7 core keywords) validator with gojsonschema's messages.
/// Supported: type, enum, const, properties, required, additionalProperties, patternProperties, items, additionalItems,
/// min/maxItems, uniqueItems, contains, min/maxLength, pattern, minimum/maximum (+exclusive), multipleOf,
/// min/maxProperties, allOf/anyOf/oneOf/not, local $ref ("#/..."). Not supported: format, remote $ref, dependencies.
/// </summary>
internal static class JsonSchemaBuiltins
{
    private static readonly string[] ValidTypes = ["array", "boolean", "integer", "number", "null", "object", "string"];

    public static void Register(BuiltinRegistry r)
    {
        r.Register1("json.verify_schema", (s, _) =>
        {
            var schema = Load(s, 1);
            string? err = Check(schema);
            return RegoArray.Create(RegoValue.Boolean(err is null), err is null ? RegoNull.Instance : RegoString.Create("jsonschema: " + err));
        });
        r.Register2("json.match_schema", (d, s, ctx) =>
        {
            var doc = d is RegoString ds ? Parse(ds.Value) : d;
            var schema = Load(s, 2);
            string? err = Check(schema);
            if (err is not null)
            {
                throw BuiltinException.Error(err);
            }
            var errors = new List<RegoValue>();
            Validate(doc, schema, schema, "(root)", errors, ctx);
            return RegoArray.Create(RegoValue.Boolean(errors.Count == 0), RegoArray.Create(errors));
        });
    }

    private static RegoValue Parse(string text) => JsonBuiltins.Unmarshal(text);

    private static RegoValue Load(RegoValue s, int pos) => s switch
    {
        RegoString str => Parse(str.Value),
        RegoObject or RegoBoolean => s,
        _ => throw BuiltinException.OperandType(pos, s, "object", "string", "boolean"),
    };

    private static string? Check(RegoValue schema)
    {
        switch (schema)
        {
            case RegoObject o:
                if (o.Get("type") is { } t)
                {
                    foreach (var tv in t is RegoArray ta ? ta.AsSpan().ToArray() : [t])
                    {
                        if (tv is not RegoString ts || Array.IndexOf(ValidTypes, ts.Value) < 0)
                        {
                            string given = tv is RegoString g ? g.Value : tv.ToString();
                            return $"has a primitive type that is NOT VALID -- given: /{given}/ Expected valid values are:[{string.Join(" ", ValidTypes)}]";
                        }
                    }
                }
                foreach (var kv in o)
                {
                    string? e = kv.Key is RegoString { Value: "properties" or "patternProperties" or "definitions" or "$defs" } && kv.Value is RegoObject sub
                        ? sub.Values.ToArray().Select(Check).FirstOrDefault(x => x is not null)
                        : kv.Key is RegoString { Value: "items" or "additionalProperties" or "not" or "additionalItems" or "contains" }
                            ? (kv.Value is RegoArray ia ? ia.Select(Check).FirstOrDefault(x => x is not null) : Check(kv.Value))
                            : kv.Key is RegoString { Value: "allOf" or "anyOf" or "oneOf" } && kv.Value is RegoArray arr
                                ? arr.Select(Check).FirstOrDefault(x => x is not null)
                                : null;
                    if (e is not null)
                    {
                        return e;
                    }
                }
                return null;
            case RegoBoolean:
                return null;
            default:
                return "schema must be an object or a boolean";
        }
    }

    private static string TypeOf(RegoValue v) => v switch
    {
        RegoNumber n when n.IsInteger => "integer",
        RegoNumber => "number",
        RegoSet => "array",
        _ => v.TypeName,
    };

    private static void Add(List<RegoValue> errors, string field, string type, string desc)
    {
        errors.Add(RegoObject.Create(new KeyValuePair<string, RegoValue>[]
        {
            new("desc", RegoString.Create(desc)),
            new("error", RegoString.Create(field + ": " + desc)),
            new("field", RegoString.Create(field)),
            new("type", RegoString.Create(type)),
        }));
    }

    private static string Child(string field, string name) => field == "(root)" ? name : field + "." + name;

    private static string Num(RegoValue v) => v is RegoNumber n ? n.ToText() : v.ToString();

    private static RegoValue Resolve(RegoValue root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            throw BuiltinException.Error("remote $ref is not supported: " + reference);
        }
        RegoValue cur = root;
        foreach (var seg in reference.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string key = Uri.UnescapeDataString(seg).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            cur = cur is RegoObject o && o.Get(key) is { } next ? next : throw BuiltinException.Error("invalid $ref: " + reference);
        }
        return cur;
    }

    private static void Validate(RegoValue v, RegoValue schemaVal, RegoValue root, string field, List<RegoValue> errors, BuiltinContext ctx)
    {
        if (errors.Count > 1000)
        {
            ctx.CheckLimits();
        }
        if (schemaVal is RegoBoolean b)
        {
            if (!b.Value)
            {
                Add(errors, field, "false", "False always fails validation");
            }
            return;
        }
        if (schemaVal is not RegoObject s)
        {
            return;
        }
        if (s.Get("$ref") is RegoString rf)
        {
            Validate(v, Resolve(root, rf.Value), root, field, errors, ctx);
            return;
        }
        if (s.Get("type") is { } t)
        {
            var types = t is RegoArray ta ? ta.Select(x => ((RegoString)x).Value).ToList() : [((RegoString)t).Value];
            string actual = TypeOf(v);
            bool ok = types.Contains(actual) || (actual == "integer" && types.Contains("number"));
            if (!ok)
            {
                Add(errors, field, "invalid_type", $"Invalid type. Expected: {string.Join(", ", types)}, given: {actual}");
                return;
            }
        }
        if (s.Get("enum") is RegoArray en && !en.Any(e => e.Equals(v)))
        {
            Add(errors, field, "enum", $"{field} must be one of the following: {string.Join(", ", en.Select(JsonText))}");
        }
        if (s.Get("const") is { } cst && !cst.Equals(v))
        {
            Add(errors, field, "const", $"{field} does not match: {JsonText(cst)}");
        }
        foreach (var sub in (s.Get("allOf") as RegoArray)?.AsSpan().ToArray() ?? [])
        {
            Validate(v, sub, root, field, errors, ctx);
        }
        if (s.Get("anyOf") is RegoArray any && !any.Any(sub => Passes(v, sub, root, field, ctx)))
        {
            Add(errors, field, "number_any_of", "Must validate at least one schema (anyOf)");
        }
        if (s.Get("oneOf") is RegoArray one && one.Count(sub => Passes(v, sub, root, field, ctx)) != 1)
        {
            Add(errors, field, "number_one_of", "Must validate one and only one schema (oneOf)");
        }
        if (s.Get("not") is { } not && Passes(v, not, root, field, ctx))
        {
            Add(errors, field, "number_not", "Must not validate the schema (not)");
        }
        switch (v)
        {
            case RegoObject o:
                ValidateObject(o, s, root, field, errors, ctx);
                break;
            case RegoArray or RegoSet:
                ValidateArray(v is RegoArray a ? a.AsSpan().ToArray() : ((RegoSet)v).AsSpan().ToArray(), s, root, field, errors, ctx);
                break;
            case RegoString str:
                int len = LibraryHelpers.RuneCount(str.Value);
                if (s.Get("minLength") is RegoNumber minL && len < minL.ToDouble())
                {
                    Add(errors, field, "string_gte", $"String length must be greater than or equal to {Num(minL)}");
                }
                if (s.Get("maxLength") is RegoNumber maxL && len > maxL.ToDouble())
                {
                    Add(errors, field, "string_lte", $"String length must be less than or equal to {Num(maxL)}");
                }
                if (s.Get("pattern") is RegoString pat && !Regex.IsMatch(str.Value, RegexBuiltins.Compile(pat.Value), RegexOptions.CultureInvariant, ctx.RegexTimeout))
                {
                    Add(errors, field, "pattern", $"Does not match pattern '{pat.Value}'");
                }
                break;
            case RegoNumber n:
                ValidateNumber(n, s, field, errors);
                break;
        }
    }

    private static void ValidateNumber(RegoNumber n, RegoObject s, string field, List<RegoValue> errors)
    {
        double d = n.ToDouble();
        if (s.Get("minimum") is RegoNumber min)
        {
            bool excl = s.Get("exclusiveMinimum") is RegoBoolean { Value: true };
            if (excl ? d <= min.ToDouble() : d < min.ToDouble())
            {
                Add(errors, field, excl ? "number_gt" : "number_gte", excl ? $"Must be greater than {Num(min)}" : $"Must be greater than or equal to {Num(min)}");
            }
        }
        if (s.Get("maximum") is RegoNumber max)
        {
            bool excl = s.Get("exclusiveMaximum") is RegoBoolean { Value: true };
            if (excl ? d >= max.ToDouble() : d > max.ToDouble())
            {
                Add(errors, field, excl ? "number_lt" : "number_lte", excl ? $"Must be less than {Num(max)}" : $"Must be less than or equal to {Num(max)}");
            }
        }
        if (s.Get("exclusiveMinimum") is RegoNumber emin && d <= emin.ToDouble())
        {
            Add(errors, field, "number_gt", $"Must be greater than {Num(emin)}");
        }
        if (s.Get("exclusiveMaximum") is RegoNumber emax && d >= emax.ToDouble())
        {
            Add(errors, field, "number_lt", $"Must be less than {Num(emax)}");
        }
        if (s.Get("multipleOf") is RegoNumber mul && mul.ToDouble() != 0)
        {
            double q = d / mul.ToDouble();
            if (Math.Abs(q - Math.Round(q)) > 1e-9)
            {
                Add(errors, field, "multiple_of", $"Must be a multiple of {Num(mul)}");
            }
        }
    }

    private static void ValidateObject(RegoObject o, RegoObject s, RegoValue root, string field, List<RegoValue> errors, BuiltinContext ctx)
    {
        if (s.Get("required") is RegoArray req)
        {
            foreach (var r in req)
            {
                if (r is RegoString rs && !o.ContainsKey(rs))
                {
                    Add(errors, field, "required", $"{rs.Value} is required");
                }
            }
        }
        var props = s.Get("properties") as RegoObject;
        var patterns = s.Get("patternProperties") as RegoObject;
        foreach (var kv in o)
        {
            string name = kv.Key is RegoString ks ? ks.Value : kv.Key.ToString();
            bool matched = false;
            if (props?.Get(kv.Key) is { } ps)
            {
                matched = true;
                Validate(kv.Value, ps, root, Child(field, name), errors, ctx);
            }
            if (patterns is not null)
            {
                foreach (var pp in patterns)
                {
                    if (pp.Key is RegoString pk && Regex.IsMatch(name, RegexBuiltins.Compile(pk.Value), RegexOptions.CultureInvariant, ctx.RegexTimeout))
                    {
                        matched = true;
                        Validate(kv.Value, pp.Value, root, Child(field, name), errors, ctx);
                    }
                }
            }
            if (!matched && s.Get("additionalProperties") is { } ap)
            {
                if (ap is RegoBoolean { Value: false })
                {
                    Add(errors, field, "additional_property_not_allowed", $"Additional property {name} is not allowed");
                }
                else
                {
                    Validate(kv.Value, ap, root, Child(field, name), errors, ctx);
                }
            }
        }
        if (s.Get("minProperties") is RegoNumber minP && o.Count < minP.ToDouble())
        {
            Add(errors, field, "array_min_properties", $"Must have at least {Num(minP)} properties");
        }
        if (s.Get("maxProperties") is RegoNumber maxP && o.Count > maxP.ToDouble())
        {
            Add(errors, field, "array_max_properties", $"Must have at most {Num(maxP)} properties");
        }
    }

    private static void ValidateArray(RegoValue[] items, RegoObject s, RegoValue root, string field, List<RegoValue> errors, BuiltinContext ctx)
    {
        if (s.Get("minItems") is RegoNumber minI && items.Length < minI.ToDouble())
        {
            Add(errors, field, "array_min_items", $"Array must have at least {Num(minI)} items");
        }
        if (s.Get("maxItems") is RegoNumber maxI && items.Length > maxI.ToDouble())
        {
            Add(errors, field, "array_max_items", $"Array must have at most {Num(maxI)} items");
        }
        if (s.Get("uniqueItems") is RegoBoolean { Value: true })
        {
            for (int i = 0; i < items.Length; i++)
            {
                for (int j = i + 1; j < items.Length; j++)
                {
                    if (items[i].Equals(items[j]))
                    {
                        Add(errors, field, "unique", $"array items[{i.ToString(CultureInfo.InvariantCulture)},{j.ToString(CultureInfo.InvariantCulture)}] must be unique");
                    }
                }
            }
        }
        switch (s.Get("items"))
        {
            case RegoArray tuple:
                for (int i = 0; i < items.Length; i++)
                {
                    string f = Child(field, i.ToString(CultureInfo.InvariantCulture));
                    if (i < tuple.Count)
                    {
                        Validate(items[i], tuple[i], root, f, errors, ctx);
                    }
                    else if (s.Get("additionalItems") is { } ai)
                    {
                        if (ai is RegoBoolean { Value: false })
                        {
                            Add(errors, field, "array_no_additional_items", "No additional items allowed on array");
                            break;
                        }
                        Validate(items[i], ai, root, f, errors, ctx);
                    }
                }
                break;
            case { } itemSchema:
                for (int i = 0; i < items.Length; i++)
                {
                    Validate(items[i], itemSchema, root, Child(field, i.ToString(CultureInfo.InvariantCulture)), errors, ctx);
                }
                break;
        }
        if (s.Get("contains") is { } contains && !items.Any(it => Passes(it, contains, root, field, ctx)))
        {
            Add(errors, field, "contains", "At least one of the items must match");
        }
    }

    private static bool Passes(RegoValue v, RegoValue schema, RegoValue root, string field, BuiltinContext ctx)
    {
        var errs = new List<RegoValue>();
        Validate(v, schema, root, field, errs, ctx);
        return errs.Count == 0;
    }

    private static string JsonText(RegoValue v) => JsonBuiltins.Marshal(v, null, null);
}
