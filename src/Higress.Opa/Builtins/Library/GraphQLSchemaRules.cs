using System.Globalization;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>gqlparser's checks of each type and directive definition of a schema (validateDefinition and friends).</summary>
internal static class GraphQLSchemaRules
{
    private static string Quote(string s) => "\"" + s + "\"";

    public static void ValidateDirective(GraphQLSchema schema, GraphQLDirectiveDef def)
    {
        ValidateName(def.Node, def.Name);
        ValidateArgs(schema, def.Arguments, def);
    }

    public static void ValidateDefinition(GraphQLSchema schema, GraphQLTypeDef def)
    {
        foreach (var field in def.Fields)
        {
            ValidateName(field.Node, field.Name);
            ValidateTypeRef(schema, field.Type, field.Node);
            ValidateArgs(schema, field.Arguments, null);
            string location = def.Kind == "INPUT_OBJECT" ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION";
            ValidateDirectives(schema, GraphQLAst.Objs(field.Node, "Directives"), location, null);
        }
        foreach (var t in def.Types)
        {
            if (!schema.Types.TryGetValue(t, out var member))
            {
                throw new GraphQLError($"Undefined type {Quote(t)}.", def.Node);
            }
            if (member.Kind != "OBJECT")
            {
                throw new GraphQLError($"{def.Kind} type {Quote(t)} must be OBJECT.", def.Node);
            }
        }
        foreach (var i in def.Interfaces)
        {
            ValidateImplements(schema, def, i);
        }
        switch (def.Kind)
        {
            case "OBJECT" or "INTERFACE":
                if (def.Fields.Count == 0)
                {
                    throw new GraphQLError($"{def.Kind} {def.Name}: must define one or more fields.", def.Node);
                }
                foreach (var field in def.Fields)
                {
                    if (schema.Types.TryGetValue(field.Type.Name, out var t) && t.Kind == "INPUT_OBJECT")
                    {
                        throw new GraphQLError($"{def.Kind} {def.Name}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.", field.Node);
                    }
                }
                break;
            case "ENUM":
                if (def.EnumValues.Count == 0)
                {
                    throw new GraphQLError($"{def.Kind} {def.Name}: must define one or more unique enum values.", def.Node);
                }
                foreach (var v in def.EnumValues)
                {
                    if (v is "true" or "false" or "null")
                    {
                        throw new GraphQLError($"{def.Kind} {def.Name}: non-enum value {v}.", def.Node);
                    }
                }
                break;
            case "INPUT_OBJECT":
                if (def.Fields.Count == 0)
                {
                    throw new GraphQLError($"{def.Kind} {def.Name}: must define one or more input fields.", def.Node);
                }
                foreach (var field in def.Fields)
                {
                    if (schema.Types.TryGetValue(field.Type.Name, out var t) && !t.IsInputType)
                    {
                        throw new GraphQLError($"{t.Kind} {field.Name}: field must be one of SCALAR, ENUM, INPUT_OBJECT.", field.Node);
                    }
                }
                break;
        }
        for (int i = 0; i < def.Fields.Count; i++)
        {
            for (int j = i + 1; j < def.Fields.Count; j++)
            {
                if (def.Fields[i].Name == def.Fields[j].Name)
                {
                    throw new GraphQLError($"Field {def.Name}.{def.Fields[j].Name} can only be defined once.", def.Fields[j].Node);
                }
            }
        }
        if (!def.BuiltIn)
        {
            ValidateName(def.Node, def.Name);
        }
        ValidateDirectives(schema, def.Directives, def.Kind, null);
    }

    private static void ValidateTypeRef(GraphQLSchema schema, GraphQLTypeRef type, RegoObject? node)
    {
        if (!schema.Types.ContainsKey(type.Name))
        {
            throw new GraphQLError($"Undefined type {type.Name}.", type.Node ?? node);
        }
    }

    private static void ValidateArgs(GraphQLSchema schema, List<GraphQLInputValue> args, GraphQLDirectiveDef? current)
    {
        foreach (var arg in args)
        {
            ValidateName(arg.Node, arg.Name);
            ValidateTypeRef(schema, arg.Type, arg.Node);
            var def = schema.Types[arg.Type.Name];
            if (!def.IsInputType)
            {
                throw new GraphQLError($"cannot use {arg.Type} as argument {arg.Name} because {def.Kind} is not a valid input type", arg.Node);
            }
            ValidateDirectives(schema, GraphQLAst.Objs(arg.Node, "Directives"), "ARGUMENT_DEFINITION", current);
        }
    }

    private static void ValidateDirectives(GraphQLSchema schema, IEnumerable<RegoObject> dirs, string location, GraphQLDirectiveDef? current)
    {
        foreach (var dir in dirs)
        {
            string name = GraphQLAst.Str(dir, "Name");
            ValidateName(dir, name);
            if (current is not null && name == current.Name)
            {
                throw new GraphQLError($"Directive {name} cannot refer to itself.", dir);
            }
            if (!schema.Directives.TryGetValue(name, out var def))
            {
                throw new GraphQLError($"Undefined directive {name}.", dir);
            }
            if (!def.Locations.Contains(location))
            {
                throw new GraphQLError($"Directive {name} is not applicable on {location}.", dir);
            }
        }
    }

    private static void ValidateImplements(GraphQLSchema schema, GraphQLTypeDef def, string intfName)
    {
        if (!schema.Types.TryGetValue(intfName, out var intf))
        {
            throw new GraphQLError($"Undefined type {Quote(intfName)}.", def.Node);
        }
        if (intf.Kind != "INTERFACE")
        {
            throw new GraphQLError($"{Quote(intfName)} is a non interface type {intf.Kind}.", def.Node);
        }
        foreach (var required in intf.Fields)
        {
            var found = def.Field(required.Name)
                ?? throw new GraphQLError($"For {def.Name} to implement {intf.Name} it must have a field called {required.Name}.", def.Node);
            if (!IsCovariant(schema, required.Type, found.Type))
            {
                throw new GraphQLError($"For {def.Name} to implement {intf.Name} the field {required.Name} must have type {required.Type}.", found.Node);
            }
            foreach (var requiredArg in required.Arguments)
            {
                var foundArg = found.Arguments.Find(a => a.Name == requiredArg.Name)
                    ?? throw new GraphQLError($"For {def.Name} to implement {intf.Name} the field {required.Name} must have the same arguments but it is missing {requiredArg.Name}.", found.Node);
                if (!requiredArg.Type.IsCompatible(foundArg.Type))
                {
                    throw new GraphQLError($"For {def.Name} to implement {intf.Name} the field {required.Name} must have the same arguments but {requiredArg.Name} has the wrong type.", foundArg.Node);
                }
            }
            foreach (var extra in found.Arguments)
            {
                if (required.Arguments.Find(a => a.Name == extra.Name) is null && extra.Type.NonNull && extra.DefaultValue is null)
                {
                    throw new GraphQLError($"For {def.Name} to implement {intf.Name} any additional arguments on {found.Name} must be optional or have a default value but {extra.Name} is required.", extra.Node);
                }
            }
        }
        foreach (var transitive in intf.Interfaces)
        {
            if (!def.Interfaces.Contains(transitive))
            {
                throw transitive == def.Name
                    ? new GraphQLError($"Type {def.Name} cannot implement {intfName} because it would create a circular reference.", def.Node)
                    : new GraphQLError($"Type {def.Name} must implement {transitive} because it is implemented by {intfName}.", def.Node);
            }
        }
    }

    private static bool IsCovariant(GraphQLSchema schema, GraphQLTypeRef required, GraphQLTypeRef actual)
    {
        if (required.NonNull && !actual.NonNull)
        {
            return false;
        }
        if (required.NamedType.Length > 0)
        {
            return required.NamedType == actual.NamedType || schema.PossibleTypes(required.NamedType).Any(t => t.Name == actual.NamedType);
        }
        if (required.Elem is not null && actual.Elem is null)
        {
            return false;
        }
        return IsCovariant(schema, required.Elem!, actual.Elem!);
    }

    private static void ValidateName(RegoObject? node, string name)
    {
        if (name.StartsWith("__", StringComparison.Ordinal))
        {
            throw new GraphQLError(string.Format(CultureInfo.InvariantCulture,
                "Name \"{0}\" must not begin with \"__\", which is reserved by GraphQL introspection.", name), node);
        }
    }
}
