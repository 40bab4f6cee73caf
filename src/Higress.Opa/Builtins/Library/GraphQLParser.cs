using Higress.Opa.Values;
using K = Higress.Opa.Builtins.Library.GraphQLLexer.Kind;
using Token = Higress.Opa.Builtins.Library.GraphQLLexer.Token;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// GraphQL parser following vektah/gqlparser's grammar and error messages; produces the JSON shape OPA returns for
/// gqlparser's AST (empty lists omitted, positions left out).
/// </summary>
internal sealed partial class GraphQLParser
{
    private readonly GraphQLLexer _lexer;
    private Token _peek;
    private Token _prev;

    public GraphQLParser(string src)
    {
        _lexer = new GraphQLLexer(src);
        _peek = _lexer.Next();
    }

    private static BuiltinException Fail(Token at, string msg) =>
        BuiltinException.Error($"{msg} in GraphQL string at location {at.Line}:{at.Column}");

    private Token Peek() => _peek;

    private Token Next()
    {
        _prev = _peek;
        _peek = _lexer.Next();
        return _prev;
    }

    private bool Skip(K kind)
    {
        if (_peek.Kind != kind) return false;
        Next();
        return true;
    }

    private Token Expect(K kind)
    {
        if (_peek.Kind != kind) throw Fail(_peek, $"Expected {GraphQLLexer.KindText(kind)}, found {_peek}");
        return Next();
    }

    private void ExpectKeyword(string value)
    {
        if (_peek.Kind != K.Name || _peek.Value != value) throw Fail(_peek, $"Expected \"{value}\", found {_peek}");
        Next();
    }

    private BuiltinException Unexpected(Token? t = null) => Fail(t ?? _peek, $"Unexpected {t ?? _peek}");

    private List<RegoValue> Many(K start, K end, Func<RegoValue> item)
    {
        var list = new List<RegoValue>();
        if (!Skip(start)) return list;
        while (!Skip(end)) list.Add(item());
        return list;
    }

    private List<RegoValue> Some(K start, K end, Func<RegoValue> item)
    {
        var list = new List<RegoValue>();
        if (!Skip(start)) return list;
        while (_peek.Kind != end) list.Add(item());
        if (list.Count == 0) throw Fail(_peek, $"expected at least one definition, found {GraphQLLexer.KindText(_peek.Kind)}");
        Next();
        return list;
    }

    private static RegoObject Obj(params (string Key, RegoValue? Value)[] fields) =>
        RegoObject.Create(fields.Where(f => f.Value is not null).Select(f => new KeyValuePair<string, RegoValue>(f.Key, f.Value!)));

    private static RegoValue? List(List<RegoValue> l) => l.Count == 0 ? null : RegoArray.Create(l);

    // Where a node starts, kept under "Position" for validation messages (OPA prunes it from returned ASTs, as
    // GraphQLAst.Prune does).
    private static RegoObject Pos(Token t) =>
        RegoObject.Create(new KeyValuePair<string, RegoValue>[] { new("Line", RegoNumber.FromInt64(t.Line)), new("Column", RegoNumber.FromInt64(t.Column)) });

    private static RegoString S(string s) => RegoString.Create(s);

    private string ParseName() => Expect(K.Name).Value;

    // ---- executable documents ----

    public RegoObject ParseQueryDocument()
    {
        var ops = new List<RegoValue>();
        var frags = new List<RegoValue>();
        while (_peek.Kind != K.EOF)
        {
            if (_peek.Kind == K.Name && _peek.Value is "query" or "mutation" or "subscription")
            {
                ops.Add(ParseOperation());
            }
            else if (_peek.Kind == K.Name && _peek.Value == "fragment")
            {
                frags.Add(ParseFragmentDefinition());
            }
            else if (_peek.Kind == K.BraceL)
            {
                ops.Add(ParseOperation());
            }
            else
            {
                throw Unexpected();
            }
        }
        return Obj(("Operations", List(ops)), ("Fragments", List(frags)));
    }

    private RegoObject ParseOperation()
    {
        var start = _peek;
        if (_peek.Kind == K.BraceL)
        {
            return Obj(("Operation", S("query")), ("Name", S("")), ("SelectionSet", List(ParseRequiredSelectionSet())), ("Position", Pos(start)));
        }
        var t = Expect(K.Name);
        if (t.Value is not ("query" or "mutation" or "subscription")) throw Unexpected(t);
        string name = _peek.Kind == K.Name ? Next().Value : "";
        var vars = Many(K.ParenL, K.ParenR, ParseVariableDefinition);
        var dirs = ParseDirectives(false);
        var sel = ParseRequiredSelectionSet();
        return Obj(("Operation", S(t.Value)), ("Name", S(name)), ("VariableDefinitions", List(vars)), ("Directives", List(dirs)), ("SelectionSet", List(sel)), ("Position", Pos(start)));
    }

    private RegoObject ParseVariableDefinition()
    {
        var start = Expect(K.Dollar);
        string name = ParseName();
        Expect(K.Colon);
        var type = ParseTypeReference();
        RegoValue? dflt = Skip(K.Equals) ? ParseValue(true) : null;
        var dirs = ParseDirectives(false);
        return Obj(("Variable", S(name)), ("Type", type), ("DefaultValue", dflt), ("Directives", List(dirs)), ("Used", RegoBoolean.False), ("Position", Pos(start)));
    }

    private List<RegoValue> ParseRequiredSelectionSet()
    {
        if (_peek.Kind != K.BraceL) throw Fail(_peek, $"Expected {{, found {GraphQLLexer.KindText(_peek.Kind)}");
        return Some(K.BraceL, K.BraceR, ParseSelection);
    }

    private RegoValue ParseSelection() => _peek.Kind == K.Spread ? ParseFragment() : ParseField();

    private RegoObject ParseField()
    {
        var start = _peek;
        string alias = ParseName();
        string name = Skip(K.Colon) ? ParseName() : alias;
        var args = Many(K.ParenL, K.ParenR, () => ParseArgument(false));
        var dirs = ParseDirectives(false);
        var sel = _peek.Kind == K.BraceL ? Some(K.BraceL, K.BraceR, ParseSelection) : [];
        return Obj(("Alias", S(alias)), ("Name", S(name)), ("Arguments", List(args)), ("Directives", List(dirs)), ("SelectionSet", List(sel)), ("Position", Pos(start)));
    }

    private RegoObject ParseArgument(bool isConst)
    {
        var start = _peek;
        string name = ParseName();
        Expect(K.Colon);
        return Obj(("Name", S(name)), ("Value", ParseValue(isConst)), ("Position", Pos(start)));
    }

    private RegoObject ParseFragment()
    {
        var start = Expect(K.Spread);
        if (_peek.Kind == K.Name && _peek.Value != "on")
        {
            string name = ParseName();
            return Obj(("Name", S(name)), ("Directives", List(ParseDirectives(false))), ("Position", Pos(start)));
        }
        string cond = "";
        if (_peek.Value == "on")
        {
            Next();
            cond = ParseName();
        }
        var dirs = ParseDirectives(false);
        var sel = ParseRequiredSelectionSet();
        return Obj(("TypeCondition", S(cond)), ("Directives", List(dirs)), ("SelectionSet", List(sel)), ("Position", Pos(start)));
    }

    private RegoObject ParseFragmentDefinition()
    {
        var start = _peek;
        ExpectKeyword("fragment");
        if (_peek.Value == "on") throw Unexpected();
        string name = ParseName();
        var vars = Many(K.ParenL, K.ParenR, ParseVariableDefinition);
        ExpectKeyword("on");
        string cond = ParseName();
        var dirs = ParseDirectives(false);
        var sel = ParseRequiredSelectionSet();
        return Obj(("Name", S(name)), ("VariableDefinition", List(vars)), ("TypeCondition", S(cond)), ("Directives", List(dirs)), ("SelectionSet", List(sel)), ("Position", Pos(start)));
    }

    private RegoObject ParseValue(bool isConst)
    {
        var t = _peek;
        int kind;
        switch (t.Kind)
        {
            case K.BracketL:
                {
                    var items = Many(K.BracketL, K.BracketR, () => Obj(("Name", S("")), ("Value", ParseValue(isConst))));
                    return Value(8, "", items).With(S("Position"), Pos(t));
                }
            case K.BraceL:
                {
                    var items = Many(K.BraceL, K.BraceR, () =>
                    {
                        var nameToken = _peek;
                        string n = ParseName();
                        Expect(K.Colon);
                        return Obj(("Name", S(n)), ("Value", ParseValue(isConst)), ("Position", Pos(nameToken)));
                    });
                    return Value(9, "", items).With(S("Position"), Pos(t));
                }
            case K.Dollar:
                if (isConst) throw Unexpected();
                Next();
                return Value(0, ParseName(), []).With(S("Position"), Pos(t));
            case K.Int: kind = 1; break;
            case K.Float: kind = 2; break;
            case K.String: kind = 3; break;
            case K.BlockString: kind = 4; break;
            case K.Name: kind = t.Value is "true" or "false" ? 5 : t.Value == "null" ? 6 : 7; break;
            default: throw Unexpected();
        }
        Next();
        return Value(kind, t.Value, []).With(S("Position"), Pos(t));
    }

    private static RegoObject Value(int kind, string raw, List<RegoValue> children) =>
        Obj(("Raw", S(raw)), ("Children", List(children)), ("Kind", RegoNumber.FromInt64(kind)), ("ExpectedTypeHasDefault", RegoBoolean.False));

    private List<RegoValue> ParseDirectives(bool isConst)
    {
        var list = new List<RegoValue>();
        while (_peek.Kind == K.At)
        {
            var start = Next();
            string name = ParseName();
            var args = Many(K.ParenL, K.ParenR, () => ParseArgument(isConst));
            list.Add(Obj(("Name", S(name)), ("Arguments", List(args)), ("Location", S("")), ("Position", Pos(start))));
        }
        return list;
    }

    private RegoObject ParseTypeReference()
    {
        RegoObject type;
        if (Skip(K.BracketL))
        {
            var elem = ParseTypeReference();
            Expect(K.BracketR);
            type = Obj(("NamedType", S("")), ("Elem", elem));
        }
        else
        {
            type = Obj(("NamedType", S(ParseName())));
        }
        return type.With(S("NonNull"), RegoValue.Boolean(Skip(K.Bang)));
    }
}
