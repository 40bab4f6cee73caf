using Higress.Opa.Values;

namespace Higress.Opa.Loading;

internal static class DataMerge
{
    /// <summary>Deep-merges <paramref name="add"/> into <paramref name="target"/> at <paramref name="path"/>; conflicting non-object values are an error.</summary>
    public static RegoObject MergeAt(RegoObject target, IReadOnlyList<string> path, RegoValue add, int from = 0)
    {
        if (from == path.Count)
        {
            if (add is not RegoObject ao)
            {
                throw new RegoException(RegoErrorCodes.LoadError, "data at the root must be an object");
            }
            return Merge(target, ao, string.Join(".", path));
        }
        var key = RegoString.Create(path[from]);
        if (from == path.Count - 1 && add is not RegoObject)
        {
            if (target.ContainsKey(key))
            {
                throw new RegoException(RegoErrorCodes.LoadError, $"merge error: conflicting data at {string.Join(".", path)}");
            }
            return target.With(key, add);
        }
        var child = target.Get(key) as RegoObject ?? RegoObject.Empty;
        if (target.ContainsKey(key) && target.Get(key) is not RegoObject)
        {
            throw new RegoException(RegoErrorCodes.LoadError, $"merge error: conflicting data at {string.Join(".", path.Take(from + 1))}");
        }
        return target.With(key, MergeAt(child, path, add, from + 1));
    }

    public static RegoObject Merge(RegoObject a, RegoObject b, string where)
    {
        var result = a;
        foreach (var (k, v) in b)
        {
            if (result.TryGetValue(k, out var existing))
            {
                if (existing is RegoObject eo && v is RegoObject vo)
                {
                    result = result.With(k, Merge(eo, vo, where + "." + k));
                    continue;
                }
                throw new RegoException(RegoErrorCodes.LoadError, $"merge error: conflicting data at {where}.{k}");
            }
            result = result.With(k, v);
        }
        return result;
    }
}
