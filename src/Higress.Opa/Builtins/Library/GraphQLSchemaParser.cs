using Higress.Opa.Values;
using K = Higress.Opa.Builtins.Library.GraphQLLexer.Kind;

namespace Higress.Opa.Builtins.Library;

/// <summary>Schema (SDL) half of <see cref="GraphQLParser"/>.</summary>
internal sealed partial class GraphQLParser
{
    private static readonly HashSet<string> DirectiveLocations = new(StringComparer.Ordinal)
    {
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
        "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
        "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
    };

    public RegoObject ParseSchemaDocument()
    {
        var schema = new List<RegoValue>();
        var schemaExt = new List<RegoValue>();
        var directives = new List<RegoValue>();
        var defs = new List<RegoValue>();
        var exts = new List<RegoValue>();
        while (_peek.Kind != K.EOF)
        {
            string description = ParseDescription();
            if (_peek.Kind != K.Name) throw Unexpected();
            switch (_peek.Value)
            {
                case "scalar" or "type" or "interface" or "union" or "enum" or "input":
                    defs.Add(ParseTypeDefinition(description, false));
                    break;
                case "schema":
                    schema.Add(ParseSchemaDefinition(description, false));
                    break;
                case "directive":
                    directives.Add(ParseDirectiveDefinition(description));
                    break;
                case "extend":
                    if (description.Length > 0) throw Unexpected(_prev);
                    Next();
                    if (_peek.Kind == K.Name && _peek.Value == "schema")
                    {
                        schemaExt.Add(ParseSchemaDefinition("", true));
                    }
                    else if (_peek.Kind == K.Name && _peek.Value is "scalar" or "type" or "interface" or "union" or "enum" or "input")
                    {
                        exts.Add(ParseTypeDefinition("", true));
                    }
                    else
                    {
                        throw Unexpected();
                    }
                    break;
                default:
                    throw Unexpected();
            }
        }
        return Obj(("Schema", List(schema)), ("SchemaExtension", List(schemaExt)), ("Directives", List(directives)),
            ("Definitions", List(defs)), ("Extensions", List(exts)));
    }

    private string ParseDescription() => _peek.Kind is K.String or K.BlockString ? Next().Value : "";

    private RegoObject ParseSchemaDefinition(string description, bool extension)
    {
        ExpectKeyword("schema");
        var dirs = ParseDirectives(true);
        var ops = Some(K.BraceL, K.BraceR, () =>
        {
            var t = Expect(K.Name);
            if (t.Value is not ("query" or "mutation" or "subscription")) throw Unexpected(t);
            Expect(K.Colon);
            return Obj(("Operation", S(t.Value)), ("Type", S(ParseName())));
        });
        if (extension && dirs.Count == 0 && ops.Count == 0) throw Unexpected();
        return Obj(("Description", S(description)), ("Directives", List(dirs)), ("OperationTypes", List(ops)));
    }

    private RegoObject ParseTypeDefinition(string description, bool extension)
    {
        string keyword = Next().Value;
        string name = ParseName();
        List<RegoValue> interfaces = [], fields = [], types = [], enumValues = [], dirs;
        string kind;
        switch (keyword)
        {
            case "scalar":
                kind = "SCALAR";
                dirs = ParseDirectives(true);
                break;
            case "type" or "interface":
                kind = keyword == "type" ? "OBJECT" : "INTERFACE";
                interfaces = ParseImplements();
                dirs = ParseDirectives(true);
                fields = Some(K.BraceL, K.BraceR, ParseFieldDefinition);
                break;
            case "union":
                kind = "UNION";
                dirs = ParseDirectives(true);
                if (Skip(K.Equals))
                {
                    Skip(K.Pipe);
                    types.Add(S(ParseName()));
                    while (Skip(K.Pipe)) types.Add(S(ParseName()));
                }
                break;
            case "enum":
                kind = "ENUM";
                dirs = ParseDirectives(true);
                enumValues = Some(K.BraceL, K.BraceR, () =>
                {
                    string d = ParseDescription();
                    string n = ParseName();
                    return Obj(("Description", S(d)), ("Name", S(n)), ("Directives", List(ParseDirectives(true))));
                });
                break;
            default:
                kind = "INPUT_OBJECT";
                dirs = ParseDirectives(true);
                fields = Some(K.BraceL, K.BraceR, ParseInputValue);
                break;
        }
        if (extension && dirs.Count == 0 && interfaces.Count == 0 && fields.Count == 0 && types.Count == 0 && enumValues.Count == 0)
        {
            throw Unexpected();
        }
        return Obj(("Kind", S(kind)), ("Description", S(description)), ("Name", S(name)), ("Directives", List(dirs)),
            ("Interfaces", List(interfaces)), ("Fields", List(fields)), ("Types", List(types)), ("EnumValues", List(enumValues)),
            ("BuiltIn", RegoBoolean.False));
    }

    private List<RegoValue> ParseImplements()
    {
        var list = new List<RegoValue>();
        if (_peek.Kind == K.Name && _peek.Value == "implements")
        {
            Next();
            Skip(K.Amp);
            list.Add(S(ParseName()));
            while (Skip(K.Amp)) list.Add(S(ParseName()));
        }
        return list;
    }

    private RegoObject ParseFieldDefinition()
    {
        string description = ParseDescription();
        string name = ParseName();
        var args = Many(K.ParenL, K.ParenR, ParseInputValue);
        Expect(K.Colon);
        var type = ParseTypeReference();
        var dirs = ParseDirectives(true);
        return Obj(("Description", S(description)), ("Name", S(name)), ("Arguments", List(args)), ("Type", type), ("Directives", List(dirs)));
    }

    private RegoObject ParseInputValue()
    {
        string description = ParseDescription();
        string name = ParseName();
        Expect(K.Colon);
        var type = ParseTypeReference();
        RegoValue? dflt = Skip(K.Equals) ? ParseValue(true) : null;
        var dirs = ParseDirectives(true);
        return Obj(("Description", S(description)), ("Name", S(name)), ("DefaultValue", dflt), ("Type", type), ("Directives", List(dirs)));
    }

    private RegoObject ParseDirectiveDefinition(string description)
    {
        ExpectKeyword("directive");
        Expect(K.At);
        string name = ParseName();
        var args = Many(K.ParenL, K.ParenR, ParseInputValue);
        bool repeatable = false;
        if (_peek.Kind == K.Name && _peek.Value == "repeatable")
        {
            repeatable = true;
            Next();
        }
        ExpectKeyword("on");
        Skip(K.Pipe);
        var locations = new List<RegoValue> { ParseLocation() };
        while (Skip(K.Pipe)) locations.Add(ParseLocation());
        return Obj(("Description", S(description)), ("Name", S(name)), ("Arguments", List(args)), ("Locations", RegoArray.Create(locations)),
            ("IsRepeatable", RegoValue.Boolean(repeatable)));
    }

    private RegoString ParseLocation()
    {
        var t = Expect(K.Name);
        return DirectiveLocations.Contains(t.Value) ? S(t.Value) : throw Unexpected(t);
    }
}
