namespace Higress.Core.Policies;

/// <summary>
/// State that outlives a plan: circuit breakers, outlier ejections, health, rate-limit partitions, key caches,
/// compiled policies. Each piece is owned by a named owner (a cluster, a plugin instance) and created from the
/// owner's configuration; a reload reuses it while that configuration is equal (record equality) and replaces it
/// when the configuration changed. Pieces that no applied plan asks for any more are released (disposed when they
/// are <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/>). Requests that started on the previous plan may
/// still hold a released piece: disposing must leave it safe to call (failing closed or doing nothing).
/// </summary>
/// <remarks>
/// The runtime opens one <see cref="PolicyStateScope"/> per apply with <see cref="BeginApply"/>, asks it for every
/// piece the new plan needs, and commits it once the plan serves. An apply that fails keeps the previous pieces and
/// releases only those it created. Applies are serialised by the runtime; reads during requests never touch the
/// store (the plan's runtime objects hold their pieces).
/// </remarks>
public sealed class PolicyStateStore
{
    private readonly Lock _lock = new();
    private Dictionary<PolicyStateKey, PolicyStateEntry> _entries = [];

    /// <summary>The number of pieces held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Starts an apply: the scope hands out pieces for the new plan.</summary>
    /// <returns>The scope; commit it when the plan serves, dispose it in any case.</returns>
    public PolicyStateScope BeginApply()
    {
        lock (_lock)
        {
            return new PolicyStateScope(this, _entries);
        }
    }

    /// <summary>Makes <paramref name="next"/> the held set and releases what it no longer holds.</summary>
    internal void Commit(Dictionary<PolicyStateKey, PolicyStateEntry> next)
    {
        List<PolicyStateEntry> released = [];
        lock (_lock)
        {
            foreach (var (key, entry) in _entries)
            {
                if (!next.TryGetValue(key, out var kept) || !ReferenceEquals(kept.State, entry.State))
                {
                    released.Add(entry);
                }
            }

            _entries = next;
        }

        Release(released);
    }

    internal static void Release(IEnumerable<PolicyStateEntry> entries)
    {
        foreach (var entry in entries)
        {
            DisposeState(entry.State);
        }
    }

    /// <summary>Disposes a piece of state that is disposable; an async disposal is started and not awaited.</summary>
    internal static void DisposeState(object? state)
    {
        switch (state)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IAsyncDisposable asyncDisposable:
                _ = asyncDisposable.DisposeAsync().AsTask();
                break;
        }
    }
}

/// <summary>What identifies a piece of state: its owner and the type of piece.</summary>
internal readonly record struct PolicyStateKey(string Owner, Type StateType);

/// <summary>
/// A piece of state, the configuration it was created from, and the pieces asked for while it was created (its
/// children: a plugin chain's plugin states, say), which are kept whenever it is.
/// </summary>
internal sealed record PolicyStateEntry(object Configuration, object State, IReadOnlyList<PolicyStateKey> Children);
