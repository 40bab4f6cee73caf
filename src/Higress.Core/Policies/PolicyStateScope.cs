namespace Higress.Core.Policies;

/// <summary>
/// One apply's view of the <see cref="PolicyStateStore"/>: <see cref="GetOrCreate{TConfig, TState}"/> returns the
/// piece the previous plan held when its owner's configuration is unchanged, or a new one. <see cref="Commit"/> makes
/// the pieces asked for the held set; disposing without committing releases only the pieces this apply created.
/// </summary>
public sealed class PolicyStateScope : IDisposable
{
    private readonly PolicyStateStore _store;
    private readonly Dictionary<PolicyStateKey, PolicyStateEntry> _previous;
    private readonly Dictionary<PolicyStateKey, PolicyStateEntry> _next = [];
    private readonly List<PolicyStateEntry> _created = [];
    private readonly Stack<List<PolicyStateKey>> _creating = new();
    private bool _done;

    internal PolicyStateScope(PolicyStateStore store, Dictionary<PolicyStateKey, PolicyStateEntry> previous)
    {
        _store = store;
        _previous = previous;
    }

    /// <summary>The number of pieces reused from the previous plan so far.</summary>
    public int Reused { get; private set; }

    /// <summary>The number of pieces created by this apply so far.</summary>
    public int Created => _created.Count;

    /// <summary>
    /// Returns the <typeparamref name="TState"/> of <paramref name="owner"/>: the one held now when it was created
    /// from a configuration equal to <paramref name="configuration"/>, otherwise a new one from
    /// <paramref name="create"/>. Asking twice in one apply returns the same piece.
    /// </summary>
    /// <typeparam name="TConfig">The owner's configuration; equality decides reuse (use records).</typeparam>
    /// <typeparam name="TState">The piece of state.</typeparam>
    /// <param name="owner">The owner's identity, e.g. <c>cluster:default/orders:80</c>.</param>
    /// <param name="configuration">The owner's configuration in the new plan.</param>
    /// <param name="create">Creates the piece; called at most once per apply and owner.</param>
    /// <returns>The piece.</returns>
    public TState GetOrCreate<TConfig, TState>(string owner, TConfig configuration, Func<TConfig, TState> create)
        where TConfig : notnull
        where TState : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(create);
        ObjectDisposedException.ThrowIf(_done, this);
        var key = new PolicyStateKey(owner, typeof(TState));
        if (_creating.TryPeek(out var parent))
        {
            parent.Add(key);
        }

        if (_next.TryGetValue(key, out var taken) && taken.Configuration.Equals(configuration))
        {
            return (TState)taken.State;
        }

        if (_previous.TryGetValue(key, out var held) && held.Configuration.Equals(configuration))
        {
            Keep(key, held);
            Reused++;
            return (TState)held.State;
        }

        var children = new List<PolicyStateKey>();
        _creating.Push(children);
        TState state;
        try
        {
            state = create(configuration);
        }
        finally
        {
            _creating.Pop();
        }

        var entry = new PolicyStateEntry(configuration, state, children);
        _next[key] = entry;
        _created.Add(entry);
        return state;
    }

    /// <summary>
    /// Returns the piece <paramref name="owner"/> holds now, whatever its configuration, and keeps it for the new
    /// plan: used to keep serving with the last good configuration when the new one is invalid.
    /// </summary>
    /// <typeparam name="TState">The piece of state.</typeparam>
    /// <param name="owner">The owner's identity.</param>
    /// <param name="state">The piece, when there is one.</param>
    /// <returns>True when the owner holds a piece of that type.</returns>
    public bool TryKeep<TState>(string owner, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TState? state)
        where TState : class
    {
        ObjectDisposedException.ThrowIf(_done, this);
        var key = new PolicyStateKey(owner, typeof(TState));
        if (_creating.TryPeek(out var parent))
        {
            parent.Add(key);
        }

        if (_next.TryGetValue(key, out var taken) || _previous.TryGetValue(key, out taken))
        {
            Keep(key, taken);
            state = (TState)taken.State;
            return true;
        }

        state = null;
        return false;
    }

    /// <summary>Keeps a held piece and, with it, the pieces it asked for when it was created.</summary>
    private void Keep(PolicyStateKey key, PolicyStateEntry entry)
    {
        _next[key] = entry;
        foreach (var child in entry.Children)
        {
            if (!_next.ContainsKey(child) && _previous.TryGetValue(child, out var held))
            {
                Keep(child, held);
            }
        }
    }

    /// <summary>Makes the pieces asked for in this apply the held set; the others are released.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        _store.Commit(_next);
    }

    /// <summary>Releases the pieces this apply created unless it was committed.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        PolicyStateStore.Release(_created);
    }
}
