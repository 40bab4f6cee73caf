using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.GraphQLAst;

namespace Higress.Opa.Builtins.Library;

/// <content>The rules that run once a field, an operation or a fragment has been walked.</content>
internal sealed partial class GraphQLQueryValidator
{
    private void OnField(RegoObject field, string name, GraphQLTypeDef? parent, GraphQLFieldDef? def, GraphQLTypeDef? type,
        List<RegoObject> args, List<RegoObject> selection)
    {
        if (parent is not null && def is null)
        {
            Error($"Cannot query field {Q(name)} on type {Q(parent.Name)}.", field);
        }
        if (def is not null && parent is not null)
        {
            foreach (var arg in args)
            {
                if (def.Arguments.Find(a => a.Name == Str(arg, "Name")) is null)
                {
                    Error($"Unknown argument {Q(Str(arg, "Name"))} on field {Q(parent.Name + "." + name)}.", arg);
                }
            }
        }
        if (def is not null)
        {
            foreach (var required in def.Arguments)
            {
                if (required.Type.NonNull && required.DefaultValue is null && args.Find(a => Str(a, "Name") == required.Name) is null)
                {
                    Error($"Field {Q(name)} argument {Q(required.Name)} of type {Q(required.Type.ToString())} is required, but it was not provided.", field);
                }
            }
            if (type is not null && type.IsLeaf && selection.Count > 0)
            {
                Error($"Field {Q(name)} must not have a selection since type {Q(type.Name)} has no subfields.", field);
            }
            if (type is not null && type.IsComposite && selection.Count == 0)
            {
                Error($"Field {Q(name)} of type {Q(def.Type.ToString())} must have a selection of subfields.", field);
            }
        }
        UniqueNames(args, "Name", n => $"There can be only one argument named {Q(n)}.");
    }

    private void OnOperation(RegoObject op, string operation, GraphQLTypeDef? root, List<RegoObject> varDefs, List<RegoObject> selection)
    {
        string name = Str(op, "Name");
        if (root is null)
        {
            Error($"Schema does not support operation type {Q(operation.Length == 0 ? "query" : operation)}", op);
        }
        if (name.Length == 0 && _operations.Count > 1)
        {
            Error("This anonymous operation must be the only defined operation.", op);
        }
        foreach (var vd in varDefs)
        {
            string v = Str(vd, "Variable");
            if (!_usedVariables!.Contains(v))
            {
                Error(name.Length > 0 ? $"Variable \"${v}\" is never used in operation {Q(name)}." : $"Variable \"${v}\" is never used.", vd);
            }
        }
        if (operation == "subscription")
        {
            int count = CollectFields(root, selection).Count;
            if (count > 1)
            {
                Error(name.Length > 0 ? $"Subscription {Q(name)} must select only one top level field." : "Anonymous Subscription must select only one top level field.", op);
            }
        }
        if (name.Length > 0 && _operations.Count(o => Str(o, "Name") == name) > 1 && _operations.First(o => Str(o, "Name") == name) != op)
        {
            Error($"There can be only one operation named {Q(name)}.", op);
        }
        UniqueNames(varDefs, "Variable", v => $"There can be only one variable named \"${v}\".");
        foreach (var vd in varDefs)
        {
            var type = GraphQLTypeRef.From(GraphQLAst.Obj(vd, "Type"));
            if (Type(type.Name) is { IsInputType: false })
            {
                Error($"Variable \"${Str(vd, "Variable")}\" cannot be non-input type {Q(type.ToString())}.", vd);
            }
        }
    }

    private void OnFragment(RegoObject fragment, GraphQLTypeDef? def)
    {
        string name = Str(fragment, "Name"), condition = Str(fragment, "TypeCondition");
        if (def is not null && !def.IsComposite)
        {
            Error($"Fragment {Q(name)} cannot condition on non composite type {Q(condition)}.", fragment);
        }
        if (def is null)
        {
            Error($"Unknown type {Q(condition)}.", fragment);
        }
        if (FragmentCycle(name, name, [], new HashSet<string>(StringComparer.Ordinal)) is { } path)
        {
            Error(path.Count == 0
                ? $"Cannot spread fragment {Q(name)} within itself."
                : $"Cannot spread fragment {Q(name)} within itself via {string.Join(", ", path.Select(Q))}.", fragment);
        }
        if (!_usedFragments.Contains(name))
        {
            Error($"Fragment {Q(name)} is never used.", fragment);
        }
        if (_fragments.First(f => Str(f, "Name") == name) != fragment)
        {
            Error($"There can be only one fragment named {Q(name)}.", fragment);
        }
    }

    private List<string>? FragmentCycle(string target, string current, List<string> path, HashSet<string> visited)
    {
        if (!visited.Add(current) || Fragment(current) is not { } f)
        {
            return null;
        }
        foreach (var spread in Spreads(Objs(f, "SelectionSet")))
        {
            if (spread == target)
            {
                return path;
            }
            if (FragmentCycle(target, spread, [.. path, spread], visited) is { } found)
            {
                return found;
            }
        }
        return null;
    }

    private static IEnumerable<string> Spreads(IEnumerable<RegoObject> selections)
    {
        foreach (var s in selections)
        {
            if (!s.ContainsKey(RegoString.Create("Alias")) && !s.ContainsKey(RegoString.Create("SelectionSet")) && !s.ContainsKey(RegoString.Create("TypeCondition")))
            {
                yield return Str(s, "Name");
            }
            foreach (var inner in Spreads(Objs(s, "SelectionSet")))
            {
                yield return inner;
            }
        }
    }

    /// <summary>The fields a selection set selects, through inline fragments and spreads, with the type each is selected on.</summary>
    private List<(RegoObject Field, GraphQLTypeDef? Parent)> CollectFields(GraphQLTypeDef? parent, List<RegoObject> selections)
    {
        var result = new List<(RegoObject, GraphQLTypeDef?)>();
        Collect(parent, selections, result, new HashSet<string>(StringComparer.Ordinal));
        return result;
    }

    private void Collect(GraphQLTypeDef? parent, IEnumerable<RegoObject> selections, List<(RegoObject, GraphQLTypeDef?)> into, HashSet<string> spreads)
    {
        foreach (var s in selections)
        {
            if (s.ContainsKey(RegoString.Create("Alias")))
            {
                into.Add((s, parent));
            }
            else if (s.ContainsKey(RegoString.Create("SelectionSet")))
            {
                string condition = Str(s, "TypeCondition");
                Collect(condition.Length > 0 ? Type(condition) : parent, Objs(s, "SelectionSet"), into, spreads);
            }
            else if (spreads.Add(Str(s, "Name")) && Fragment(Str(s, "Name")) is { } f)
            {
                Collect(Type(Str(f, "TypeCondition")), Objs(f, "SelectionSet"), into, spreads);
            }
        }
    }

    /// <summary>OverlappingFieldsCanBeMerged, for fields of one selection set: one response name, one field and one set of arguments.</summary>
    private void CheckOverlaps(GraphQLTypeDef? parent, List<RegoObject> selections)
    {
        var fields = CollectFields(parent, selections);
        for (int i = 0; i < fields.Count; i++)
        {
            for (int j = i + 1; j < fields.Count; j++)
            {
                var (a, pa) = fields[i];
                var (b, pb) = fields[j];
                string alias = Str(a, "Alias");
                if (alias != Str(b, "Alias"))
                {
                    continue;
                }
                // fields on two different object types can never both be selected, so they may differ
                bool exclusive = pa is not null && pb is not null && pa.Name != pb.Name && pa.Kind == "OBJECT" && pb.Kind == "OBJECT";
                if (exclusive)
                {
                    continue;
                }
                string na = Str(a, "Name"), nb = Str(b, "Name");
                if (na != nb)
                {
                    Error($"Fields {Q(alias)} conflict because {na} and {nb} are different fields. Use different aliases on the fields to fetch both if this was intentional.", b);
                    return;
                }
                if (!Equals(Prune(a.Get(RegoString.Create("Arguments")) ?? RegoArray.Empty), Prune(b.Get(RegoString.Create("Arguments")) ?? RegoArray.Empty)))
                {
                    Error($"Fields {Q(alias)} conflict because they have differing arguments. Use different aliases on the fields to fetch both if this was intentional.", b);
                    return;
                }
            }
        }
    }
}
