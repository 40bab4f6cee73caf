using System.Globalization;
using System.Text;
using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.GraphQLAst;

namespace Higress.Opa.Builtins.Library;

/// <content>Values: ValuesOfCorrectType, UniqueInputFieldNames, NoUndefinedVariables and VariablesInAllowedPosition.</content>
internal sealed partial class GraphQLQueryValidator
{
    private const int VariableKind = 0, IntKind = 1, FloatKind = 2, StringKind = 3, BlockKind = 4, BooleanKind = 5, NullKind = 6,
        EnumKind = 7, ListKind = 8, ObjectKind = 9;

    private static int ValueKind(RegoObject value) =>
        value.TryGetValue(RegoString.Create("Kind"), out var k) && k is RegoNumber n && n.TryGetInt32(out int i) ? i : -1;

    private static IEnumerable<(string Name, RegoObject Value, RegoObject Child)> Children(RegoObject value)
    {
        foreach (var c in Objs(value, "Children"))
        {
            if (GraphQLAst.Obj(c, "Value") is { } v)
            {
                yield return (Str(c, "Name"), v, c);
            }
        }
    }

    /// <summary>gqlparser's Value.String().</summary>
    private static string ValueText(RegoObject value)
    {
        string raw = Str(value, "Raw");
        switch (ValueKind(value))
        {
            case VariableKind: return "$" + raw;
            case StringKind or BlockKind: return GoQuote(raw);
            case ListKind: return "[" + string.Join(", ", Children(value).Select(c => ValueText(c.Value))) + "]";
            case ObjectKind: return "{" + string.Join(", ", Children(value).Select(c => c.Name + ": " + ValueText(c.Value))) + "}";
            default: return raw;
        }
    }

    private static string GoQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var r in s.EnumerateRunes())
        {
            switch (r.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (r.Value < 0x20 || r.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(r.ToString());
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private void WalkValue(RegoObject value, GraphQLTypeRef? expected, GraphQLTypeDef? def)
    {
        int kind = ValueKind(value);
        RegoObject? varDef = null;
        if (kind == VariableKind && _variables is not null && _variables.TryGetValue(Str(value, "Raw"), out varDef))
        {
            _usedVariables!.Add(Str(value, "Raw"));
        }
        if (kind == ObjectKind)
        {
            foreach (var (name, child, _) in Children(value))
            {
                var fieldDef = def?.Field(name);
                WalkValue(child, fieldDef?.Type, fieldDef is null ? null : Type(fieldDef.Type.Name));
            }
        }
        if (kind == ListKind)
        {
            foreach (var (_, child, _) in Children(value))
            {
                bool typed = expected?.Elem is not null;
                WalkValue(child, typed ? expected!.Elem : null, typed ? def : null);
            }
        }
        if (kind == VariableKind && _variables is not null && varDef is null)
        {
            string op = _currentOperationName ?? "";
            Error(op.Length > 0 ? $"Variable {Q(ValueText(value))} is not defined by operation {Q(op)}." : $"Variable {Q(ValueText(value))} is not defined.", value);
        }
        if (kind == ObjectKind)
        {
            UniqueNames(Objs(value, "Children").ToList(), "Name", n => $"There can be only one input field named {Q(n)}.");
        }
        ValuesOfCorrectType(value, kind, expected, def);
        if (kind == VariableKind && expected is not null && varDef is not null)
        {
            var varType = GraphQLTypeRef.From(GraphQLAst.Obj(varDef, "Type"));
            var position = expected;
            if (GraphQLAst.Obj(varDef, "DefaultValue") is { } dflt && ValueKind(dflt) != NullKind && expected.NonNull)
            {
                position = expected with { NonNull = false };
            }
            if (!varType.IsCompatible(position))
            {
                Error($"Variable {Q(ValueText(value))} of type {Q(varType.ToString())} used in position expecting type {Q(expected.ToString())}.", value);
            }
        }
    }

    private void ValuesOfCorrectType(RegoObject value, int kind, GraphQLTypeRef? expected, GraphQLTypeDef? def)
    {
        if (def is null || expected is null)
        {
            return;
        }
        if (kind == NullKind && expected.NonNull)
        {
            Error($"Expected value of type {Q(expected.ToString())}, found {ValueText(value)}.", value);
        }
        if (def.Kind == "SCALAR" && def.Name is not ("Int" or "Float" or "String" or "Boolean" or "ID"))
        {
            return; // custom scalars validate themselves
        }
        switch (kind)
        {
            case ListKind when expected.Elem is null:
            case IntKind when def.Name is not ("Int" or "Float" or "ID"):
            case FloatKind when def.Name != "Float":
            case BooleanKind when def.Name != "Boolean":
                Error(UnexpectedType(value, expected, def), value);
                break;
            case IntKind when !long.TryParse(Str(value, "Raw"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                Error(UnexpectedType(value, expected, def), value);
                break;
            case StringKind or BlockKind when def.Kind == "ENUM":
                Error($"Enum {Q(expected.ToString())} cannot represent non-enum value: {ValueText(value)}.", value);
                break;
            case StringKind or BlockKind when def.Name is not ("String" or "ID"):
                Error(UnexpectedType(value, expected, def), value);
                break;
            case EnumKind when def.Kind != "ENUM":
                Error(UnexpectedType(value, expected, def), value);
                break;
            case EnumKind when !def.EnumValues.Contains(Str(value, "Raw")):
                Error($"Value {Q(Str(value, "Raw"))} does not exist in {Q(expected.ToString())} enum.", value);
                break;
            case ObjectKind:
                var children = Children(value).ToList();
                foreach (var field in def.Fields)
                {
                    if (field.Type.NonNull && children.Find(c => c.Name == field.Name).Value is null && GraphQLAst.Obj(field.Node, "DefaultValue") is null)
                    {
                        Error($"Field {Q(def.Name + "." + field.Name)} of required type {Q(field.Type.ToString())} was not provided.", value);
                    }
                }
                foreach (var (name, _, child) in children)
                {
                    if (def.Field(name) is null)
                    {
                        Error($"Field {Q(name)} is not defined by type {Q(def.Name)}.", child);
                    }
                }
                break;
        }
    }

    private static string UnexpectedType(RegoObject value, GraphQLTypeRef expected, GraphQLTypeDef def)
    {
        string v = ValueText(value);
        switch (expected.ToString())
        {
            case "Int" or "Int!":
                return ValueKind(value) == IntKind && !int.TryParse(Str(value, "Raw"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                    ? $"Int cannot represent non 32-bit signed integer value: {v}"
                    : $"Int cannot represent non-integer value: {v}";
            case "String" or "String!" or "[String]":
                return $"String cannot represent a non string value: {v}";
            case "Boolean" or "Boolean!":
                return $"Boolean cannot represent a non boolean value: {v}";
            case "Float" or "Float!":
                return $"Float cannot represent non numeric value: {v}";
            case "ID" or "ID!":
                return $"ID cannot represent a non-string and non-integer value: {v}";
            default:
                return def.Kind == "ENUM"
                    ? $"Enum {Q(expected.ToString())} cannot represent non-enum value: {v}."
                    : $"Expected value of type {Q(expected.ToString())}, found {v}.";
        }
    }
}
