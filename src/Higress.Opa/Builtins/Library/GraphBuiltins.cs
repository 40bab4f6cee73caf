using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class GraphBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("graph.reachable", (g, init, ctx) =>
        {
            var graph = Operand.AsObject(g, 1);
            var queue = new Queue<RegoValue>(Operand.AsArrayOrSet(init, 2).ToArray());
            var reached = new HashSet<RegoValue>();
            while (queue.Count > 0)
            {
                var node = queue.Dequeue();
                if (reached.Contains(node) || !graph.TryGetValue(node, out var edges))
                {
                    continue;
                }
                reached.Add(node);
                if ((reached.Count & 1023) == 1023)
                {
                    ctx.CheckLimits();
                }
                foreach (var n in Neighbours(edges))
                {
                    queue.Enqueue(n);
                }
            }
            return RegoSet.Create(reached);
        });
        r.Register2("graph.reachable_paths", (g, init, ctx) =>
        {
            var graph = Operand.AsObject(g, 1);
            var results = new HashSet<RegoValue>();
            foreach (var root in Operand.AsArrayOrSet(init, 2))
            {
                if (!graph.TryGetValue(root, out var edges))
                {
                    continue;
                }
                var next = Neighbours(edges).ToArray();
                if (next.Length == 0)
                {
                    results.Add(RegoArray.Create(root));
                    continue;
                }
                foreach (var n in next)
                {
                    Paths(graph, n, [root], results, [root], ctx);
                }
            }
            return RegoSet.Create(results);
        });
    }

    private static ReadOnlySpan<RegoValue> Neighbours(RegoValue edges) => edges switch
    {
        RegoArray a => a.AsSpan(),
        RegoSet s => s.AsSpan(),
        _ => [],
    };

    private static void Paths(RegoObject graph, RegoValue node, List<RegoValue> path, HashSet<RegoValue> flat, HashSet<RegoValue> reached, BuiltinContext ctx)
    {
        if ((flat.Count & 1023) == 1023)
        {
            ctx.CheckLimits();
        }
        if (!graph.TryGetValue(node, out var edges))
        {
            flat.Add(RegoArray.Create(path));
            return;
        }
        var current = new List<RegoValue>(path) { node };
        var next = Neighbours(edges).ToArray();
        if (next.Length == 0)
        {
            flat.Add(RegoArray.Create(current));
            return;
        }
        foreach (var n in next)
        {
            if (reached.Contains(n))
            {
                flat.Add(RegoArray.Create(current));
            }
            else
            {
                reached.Add(node);
                Paths(graph, n, current, flat, reached, ctx);
            }
        }
    }
}
