using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.GraphQLAst;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// A validated schema: the prelude and a schema document merged and checked as gqlparser's ValidateSchemaDocument does
/// (the first error is thrown as a <see cref="GraphQLError"/>).
/// </summary>
internal sealed class GraphQLSchema
{
    private static readonly Lazy<RegoObject> PreludeDoc = new(() => new GraphQLParser(GraphQLPrelude.Text).ParseSchemaDocument());

    private readonly Dictionary<string, List<GraphQLTypeDef>> _possibleTypes = new(StringComparer.Ordinal);

    public Dictionary<string, GraphQLTypeDef> Types { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, GraphQLDirectiveDef> Directives { get; } = new(StringComparer.Ordinal);

    public GraphQLTypeDef? Query { get; private set; }

    public GraphQLTypeDef? Mutation { get; private set; }

    public GraphQLTypeDef? Subscription { get; private set; }

    /// <summary>The object types a type can be at runtime (itself for an object).</summary>
    public IReadOnlyList<GraphQLTypeDef> PossibleTypes(string name) => _possibleTypes.TryGetValue(name, out var l) ? l : [];

    public static GraphQLSchema Load(RegoObject doc)
    {
        var s = new GraphQLSchema();
        s.Build(PreludeDoc.Value, doc);
        return s;
    }

    private void Build(RegoObject prelude, RegoObject doc)
    {
        var defs = new List<GraphQLTypeDef>();
        foreach (var (d, builtIn) in Objs(prelude, "Definitions").Select(d => (d, true)).Concat(Objs(doc, "Definitions").Select(d => (d, false))))
        {
            string name = Str(d, "Name");
            if (Types.ContainsKey(name))
            {
                throw new GraphQLError($"Cannot redeclare type {name}.", d);
            }
            var def = new GraphQLTypeDef(Str(d, "Kind"), name, d) { BuiltIn = builtIn || Bool(d, "BuiltIn") };
            def.MergeFrom(d);
            Types[name] = def;
            defs.Add(def);
        }
        foreach (var ext in Objs(prelude, "Extensions").Concat(Objs(doc, "Extensions")))
        {
            string name = Str(ext, "Name"), kind = Str(ext, "Kind");
            if (!Types.TryGetValue(name, out var def))
            {
                def = new GraphQLTypeDef(kind, name, ext);
                Types[name] = def;
                defs.Add(def);
            }
            if (def.Kind != kind)
            {
                throw new GraphQLError($"Cannot extend type {name} because the base type is a {def.Kind}, not {kind}.", ext);
            }
            def.MergeFrom(ext);
        }
        foreach (var def in defs)
        {
            switch (def.Kind)
            {
                case "UNION":
                    foreach (var t in def.Types)
                    {
                        AddPossibleType(def.Name, Types.GetValueOrDefault(t));
                    }
                    break;
                case "INPUT_OBJECT" or "OBJECT":
                    foreach (var i in def.Interfaces)
                    {
                        AddPossibleType(i, def);
                    }
                    AddPossibleType(def.Name, def);
                    break;
                case "INTERFACE":
                    foreach (var i in def.Interfaces)
                    {
                        AddPossibleType(i, def);
                    }
                    break;
            }
        }
        foreach (var d in Objs(prelude, "Directives").Concat(Objs(doc, "Directives")))
        {
            var dir = GraphQLDirectiveDef.From(d);
            if (Directives.ContainsKey(dir.Name))
            {
                if (dir.Name is "include" or "skip" or "deprecated" or "specifiedBy")
                {
                    continue; // a schema may restate the built-in directives; the first one stays
                }
                throw new GraphQLError($"Cannot redeclare directive {dir.Name}.", d);
            }
            Directives[dir.Name] = dir;
        }
        var schemaDefs = Objs(doc, "Schema").ToList();
        if (schemaDefs.Count > 1)
        {
            throw new GraphQLError("Cannot have multiple schema entry points, consider schema extensions instead.", schemaDefs[1]);
        }
        foreach (var sd in schemaDefs.Concat(Objs(doc, "SchemaExtension")))
        {
            foreach (var op in Objs(sd, "OperationTypes"))
            {
                string operation = Str(op, "Operation"), type = Str(op, "Type");
                if (!Types.TryGetValue(type, out var def))
                {
                    throw new GraphQLError($"Schema root {operation} refers to a type {type} that does not exist.", op);
                }
                SetRoot(operation, def);
            }
        }
        foreach (var name in Types.Keys.Order(StringComparer.Ordinal).ToList())
        {
            GraphQLSchemaRules.ValidateDefinition(this, Types[name]);
        }
        foreach (var name in Directives.Keys.Order(StringComparer.Ordinal).ToList())
        {
            GraphQLSchemaRules.ValidateDirective(this, Directives[name]);
        }
        if (schemaDefs.Count == 0)
        {
            Query ??= Types.GetValueOrDefault("Query");
            Mutation ??= Types.GetValueOrDefault("Mutation");
            Subscription ??= Types.GetValueOrDefault("Subscription");
        }
        if (Query is not null)
        {
            var name = new GraphQLInputValue("name", new GraphQLTypeRef("String", null, true, null), null, RegoObject.Empty);
            Query.Fields.Add(new GraphQLFieldDef("__schema", new GraphQLTypeRef("__Schema", null, true, null), [], RegoObject.Empty));
            Query.Fields.Add(new GraphQLFieldDef("__type", new GraphQLTypeRef("__Type", null, false, null), [name], RegoObject.Empty));
        }
    }

    private void SetRoot(string operation, GraphQLTypeDef def)
    {
        switch (operation)
        {
            case "query": Query = def; break;
            case "mutation": Mutation = def; break;
            case "subscription": Subscription = def; break;
        }
    }

    private void AddPossibleType(string name, GraphQLTypeDef? def)
    {
        if (def is null)
        {
            return;
        }
        if (!_possibleTypes.TryGetValue(name, out var list))
        {
            _possibleTypes[name] = list = [];
        }
        list.Add(def);
    }
}
