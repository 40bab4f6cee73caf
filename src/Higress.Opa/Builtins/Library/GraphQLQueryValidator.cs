using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.GraphQLAst;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// Validates a query document against a schema with gqlparser's rules, walking the document as its walker does
/// (operations, with the fragments they spread, then every fragment on its own) and collecting every error.
/// </summary>
internal sealed partial class GraphQLQueryValidator
{
    private readonly GraphQLSchema _schema;
    private readonly RegoObject _doc;
    private readonly List<RegoObject> _operations;
    private readonly List<RegoObject> _fragments;
    private readonly List<GraphQLError> _errors = [];
    private readonly HashSet<string> _usedFragments = new(StringComparer.Ordinal);
    private HashSet<string> _walkedSpreads = new(StringComparer.Ordinal);
    private Dictionary<string, RegoObject>? _variables; // of the operation being walked
    private HashSet<string>? _usedVariables;
    private string? _currentOperationName;
    private bool _inFragmentDefinition;

    private GraphQLQueryValidator(GraphQLSchema schema, RegoObject doc)
    {
        _schema = schema;
        _doc = doc;
        _operations = Objs(doc, "Operations").ToList();
        _fragments = Objs(doc, "Fragments").ToList();
    }

    public static IReadOnlyList<GraphQLError> Validate(GraphQLSchema schema, RegoObject doc)
    {
        var v = new GraphQLQueryValidator(schema, doc);
        v.Walk();
        return v._errors;
    }

    private void Error(string message, RegoObject? node) => _errors.Add(new GraphQLError(message, node));

    private static string Q(string s) => "\"" + s + "\"";

    private RegoObject? Fragment(string name) => _fragments.Find(f => Str(f, "Name") == name);

    private GraphQLTypeDef? Type(string name) => name.Length > 0 ? _schema.Types.GetValueOrDefault(name) : null;

    private void Walk()
    {
        foreach (var op in _operations)
        {
            _walkedSpreads = new(StringComparer.Ordinal);
            WalkOperation(op);
        }
        _variables = null;
        _usedVariables = null;
        _inFragmentDefinition = true;
        foreach (var f in _fragments)
        {
            _walkedSpreads = new(StringComparer.Ordinal);
            var def = Type(Str(f, "TypeCondition"));
            WalkDirectives(Objs(f, "Directives"), "FRAGMENT_DEFINITION");
            WalkSelectionSet(def, Objs(f, "SelectionSet").ToList());
            OnFragment(f, def);
        }
    }

    private void WalkOperation(RegoObject op)
    {
        string operation = Str(op, "Operation");
        var root = operation switch { "mutation" => _schema.Mutation, "subscription" => _schema.Subscription, _ => _schema.Query };
        string location = operation switch { "mutation" => "MUTATION", "subscription" => "SUBSCRIPTION", _ => "QUERY" };
        var varDefs = Objs(op, "VariableDefinitions").ToList();
        _currentOperationName = Str(op, "Name");
        _variables = new(StringComparer.Ordinal);
        foreach (var vd in varDefs)
        {
            _variables.TryAdd(Str(vd, "Variable"), vd);
        }
        _usedVariables = new(StringComparer.Ordinal);
        foreach (var vd in varDefs)
        {
            var type = GraphQLTypeRef.From(GraphQLAst.Obj(vd, "Type"));
            if (Type(type.Name) is null)
            {
                Error($"Unknown type {Q(type.Name)}.", vd);
            }
        }
        WalkDirectives(Objs(op, "Directives"), location);
        foreach (var vd in varDefs)
        {
            var type = GraphQLTypeRef.From(GraphQLAst.Obj(vd, "Type"));
            if (GraphQLAst.Obj(vd, "DefaultValue") is { } dflt)
            {
                WalkValue(dflt, type, Type(type.Name));
            }
            WalkDirectives(Objs(vd, "Directives"), "VARIABLE_DEFINITION");
        }
        var selection = Objs(op, "SelectionSet").ToList();
        WalkSelectionSet(root, selection);
        OnOperation(op, operation, root, varDefs, selection);
    }

    private void WalkSelectionSet(GraphQLTypeDef? parent, List<RegoObject> selections)
    {
        CheckOverlaps(parent, selections);
        foreach (var s in selections)
        {
            if (s.ContainsKey(RegoString.Create("TypeCondition")) || (!s.ContainsKey(RegoString.Create("Alias")) && s.ContainsKey(RegoString.Create("SelectionSet"))))
            {
                WalkInlineFragment(parent, s);
            }
            else if (!s.ContainsKey(RegoString.Create("Alias")))
            {
                WalkFragmentSpread(parent, s);
            }
            else
            {
                WalkField(parent, s);
            }
        }
    }

    private void WalkField(GraphQLTypeDef? parent, RegoObject field)
    {
        string name = Str(field, "Name");
        GraphQLFieldDef? def = name == "__typename"
            ? new GraphQLFieldDef("__typename", new GraphQLTypeRef("String", null, false, null), [], RegoObject.Empty)
            : parent?.Field(name);
        var type = def is null ? null : Type(def.Type.Name);
        var args = Objs(field, "Arguments").ToList();
        foreach (var arg in args)
        {
            var argDef = def?.Arguments.Find(a => a.Name == Str(arg, "Name"));
            WalkValue(GraphQLAst.Obj(arg, "Value")!, argDef?.Type, argDef is null ? null : Type(argDef.Type.Name));
        }
        WalkDirectives(Objs(field, "Directives"), "FIELD");
        var selection = Objs(field, "SelectionSet").ToList();
        WalkSelectionSet(type, selection);
        OnField(field, name, parent, def, type, args, selection);
    }

    private void WalkInlineFragment(GraphQLTypeDef? parent, RegoObject fragment)
    {
        string condition = Str(fragment, "TypeCondition");
        var next = condition.Length > 0 ? Type(condition) : parent;
        WalkDirectives(Objs(fragment, "Directives"), "INLINE_FRAGMENT");
        WalkSelectionSet(next, Objs(fragment, "SelectionSet").ToList());
        if (condition.Length > 0 && next is null)
        {
            Error($"Unknown type {Q(condition)}.", fragment);
        }
        if (next is not null && !next.IsComposite && condition.Length > 0)
        {
            Error($"Fragment cannot condition on non composite type {Q(condition)}.", fragment);
        }
        if (next is not null && parent is not null && !Overlap(parent, next))
        {
            Error($"Fragment cannot be spread here as objects of type {Q(parent.Name)} can never be of type {Q(next.Name)}.", fragment);
        }
    }

    private void WalkFragmentSpread(GraphQLTypeDef? parent, RegoObject spread)
    {
        string name = Str(spread, "Name");
        var def = Fragment(name);
        var next = def is null ? null : Type(Str(def, "TypeCondition"));
        WalkDirectives(Objs(spread, "Directives"), "FRAGMENT_SPREAD");
        if (def is not null && _walkedSpreads.Add(name))
        {
            WalkSelectionSet(next, Objs(def, "SelectionSet").ToList());
        }
        if (!_inFragmentDefinition)
        {
            _usedFragments.Add(name);
        }
        if (def is null)
        {
            Error($"Unknown fragment {Q(name)}.", spread);
        }
        if (next is not null && parent is not null && !Overlap(parent, next))
        {
            Error($"Fragment {Q(name)} cannot be spread here as objects of type {Q(parent.Name)} can never be of type {Q(next.Name)}.", spread);
        }
    }

    private bool Overlap(GraphQLTypeDef a, GraphQLTypeDef b)
    {
        if (a.Name == b.Name)
        {
            return true;
        }
        var pa = _schema.PossibleTypes(a.Name);
        var pb = _schema.PossibleTypes(b.Name);
        return pa.Any(x => pb.Any(y => y.Name == x.Name));
    }

    private void WalkDirectives(IEnumerable<RegoObject> directives, string location)
    {
        var list = directives.ToList();
        foreach (var dir in list)
        {
            string name = Str(dir, "Name");
            var def = _schema.Directives.GetValueOrDefault(name);
            var args = Objs(dir, "Arguments").ToList();
            foreach (var arg in args)
            {
                var argDef = def?.Arguments.Find(a => a.Name == Str(arg, "Name"));
                WalkValue(GraphQLAst.Obj(arg, "Value")!, argDef?.Type, argDef is null ? null : Type(argDef.Type.Name));
            }
            if (def is null)
            {
                Error($"Unknown directive \"@{name}\".", dir);
                continue;
            }
            foreach (var arg in args)
            {
                if (def.Arguments.Find(a => a.Name == Str(arg, "Name")) is null)
                {
                    Error($"Unknown argument {Q(Str(arg, "Name"))} on directive \"@{name}\".", arg);
                }
            }
            if (!def.Locations.Contains(location))
            {
                Error($"Directive \"@{name}\" may not be used on {location}.", dir);
            }
            foreach (var required in def.Arguments)
            {
                if (required.Type.NonNull && required.DefaultValue is null && args.Find(a => Str(a, "Name") == required.Name) is null)
                {
                    Error($"Directive \"@{name}\" argument {Q(required.Name)} of type {Q(required.Type.ToString())} is required, but it was not provided.", dir);
                }
            }
            UniqueNames(args, "Name", n => $"There can be only one argument named {Q(n)}.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in list)
        {
            string name = Str(dir, "Name");
            if (_schema.Directives.TryGetValue(name, out var def) && !def.IsRepeatable && !seen.Add(name))
            {
                Error($"The directive \"@{name}\" can only be used once at this location.", dir);
            }
        }
    }

    private void UniqueNames(List<RegoObject> items, string key, Func<string, string> message)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (!seen.Add(Str(item, key)))
            {
                Error(message(Str(item, key)), item);
            }
        }
    }
}
