using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.GraphQLAst;

namespace Higress.Opa.Builtins.Library;

/// <summary>A type reference (<c>[String!]!</c>), as gqlparser's ast.Type.</summary>
internal sealed record GraphQLTypeRef(string NamedType, GraphQLTypeRef? Elem, bool NonNull, RegoObject? Node)
{
    /// <summary>The innermost named type.</summary>
    public string Name => NamedType.Length > 0 ? NamedType : Elem?.Name ?? "";

    public static GraphQLTypeRef From(RegoObject? o)
    {
        if (o is null)
        {
            return new GraphQLTypeRef("", null, false, null);
        }
        var elem = GraphQLAst.Obj(o, "Elem");
        return new GraphQLTypeRef(Str(o, "NamedType"), elem is null ? null : From(elem), Bool(o, "NonNull"), o);
    }

    /// <summary>gqlparser's IsCompatible: can a value of this type be used where <paramref name="other"/> is expected.</summary>
    public bool IsCompatible(GraphQLTypeRef other)
    {
        if (NamedType != other.NamedType)
        {
            return false;
        }
        if (Elem is not null && other.Elem is null)
        {
            return false;
        }
        if (Elem is not null && !Elem.IsCompatible(other.Elem!))
        {
            return false;
        }
        return !other.NonNull || NonNull;
    }

    public override string ToString() => (NamedType.Length > 0 ? NamedType : "[" + Elem + "]") + (NonNull ? "!" : "");
}

/// <summary>An argument or input field definition.</summary>
internal sealed record GraphQLInputValue(string Name, GraphQLTypeRef Type, RegoObject? DefaultValue, RegoObject Node)
{
    public static GraphQLInputValue From(RegoObject o) =>
        new(Str(o, "Name"), GraphQLTypeRef.From(GraphQLAst.Obj(o, "Type")), GraphQLAst.Obj(o, "DefaultValue"), o);
}

/// <summary>A field definition of an object, interface or input object.</summary>
internal sealed record GraphQLFieldDef(string Name, GraphQLTypeRef Type, List<GraphQLInputValue> Arguments, RegoObject Node)
{
    public static GraphQLFieldDef From(RegoObject o) =>
        new(Str(o, "Name"), GraphQLTypeRef.From(GraphQLAst.Obj(o, "Type")), Objs(o, "Arguments").Select(GraphQLInputValue.From).ToList(), o);
}

/// <summary>A named type with its extensions merged in, as gqlparser's ast.Definition.</summary>
internal sealed class GraphQLTypeDef(string kind, string name, RegoObject? node)
{
    public string Kind { get; } = kind;

    public string Name { get; } = name;

    public RegoObject? Node { get; } = node;

    public bool BuiltIn { get; init; }

    public List<GraphQLFieldDef> Fields { get; } = [];

    public List<string> Interfaces { get; } = [];

    public List<string> Types { get; } = [];

    public List<string> EnumValues { get; } = [];

    public List<RegoObject> Directives { get; } = [];

    public bool IsComposite => Kind is "OBJECT" or "INTERFACE" or "UNION";

    public bool IsLeaf => Kind is "SCALAR" or "ENUM";

    public bool IsInputType => Kind is "SCALAR" or "ENUM" or "INPUT_OBJECT";

    public bool IsAbstract => Kind is "INTERFACE" or "UNION";

    public GraphQLFieldDef? Field(string name) => Fields.Find(f => f.Name == name);

    public void MergeFrom(RegoObject o)
    {
        Directives.AddRange(Objs(o, "Directives"));
        Interfaces.AddRange(Strs(o, "Interfaces"));
        Fields.AddRange(Objs(o, "Fields").Select(GraphQLFieldDef.From));
        Types.AddRange(Strs(o, "Types"));
        EnumValues.AddRange(Objs(o, "EnumValues").Select(v => Str(v, "Name")));
    }
}

/// <summary>A directive definition.</summary>
internal sealed record GraphQLDirectiveDef(string Name, List<GraphQLInputValue> Arguments, List<string> Locations, bool IsRepeatable, RegoObject Node)
{
    public static GraphQLDirectiveDef From(RegoObject o) =>
        new(Str(o, "Name"), Objs(o, "Arguments").Select(GraphQLInputValue.From).ToList(), Strs(o, "Locations").ToList(), Bool(o, "IsRepeatable"), o);
}
