namespace Higress.Core.Routing;

/// <summary>
/// Maps a request hostname to values registered under exact names, wildcards and "any host", most specific first.
/// A lookup by suffix with <see cref="HostnamePattern"/>'s semantics (a wildcard matches deeper names, not its own
/// domain; case-insensitive), so that the request path needs no scan over patterns.
/// </summary>
internal sealed class HostIndex<T>
    where T : class
{
    private readonly Dictionary<string, T> _exact = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, T> _wildcard = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _exactLookup;
    private Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _wildcardLookup;
    private T? _any;

    public HostIndex()
    {
        _exactLookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcardLookup = _wildcard.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IEnumerable<T> Values => _exact.Values.Concat(_wildcard.Values).Concat(_any is null ? [] : [_any]);

    /// <summary>Gets or adds the value for a hostname pattern (null or empty = any host).</summary>
    public T GetOrAdd(string? hostname, Func<T> create)
    {
        if (string.IsNullOrEmpty(hostname) || hostname == "*")
        {
            return _any ??= create();
        }

        var (map, key) = HostnamePattern.IsWildcard(hostname) ? (_wildcard, HostnamePattern.WildcardSuffix(hostname)) : (_exact, hostname);
        if (!map.TryGetValue(key, out var value))
        {
            value = create();
            map[key] = value;
        }

        return value;
    }

    /// <summary>The most specific value for <paramref name="host"/>, or null.</summary>
    public T? Find(ReadOnlySpan<char> host)
    {
        foreach (var value in Candidates(host))
        {
            return value;
        }

        return null;
    }

    /// <summary>Every value that applies to <paramref name="host"/>, most specific first.</summary>
    public CandidateEnumerator Candidates(ReadOnlySpan<char> host) => new(this, host);

    /// <summary>Allocation-free enumeration of the buckets for a host, most specific first.</summary>
    public ref struct CandidateEnumerator
    {
        private readonly HostIndex<T> _index;
        private readonly ReadOnlySpan<char> _host;
        private int _state;
        private int _dot;

        internal CandidateEnumerator(HostIndex<T> index, ReadOnlySpan<char> host)
        {
            _index = index;
            _host = host;
            _state = 0;
            _dot = -1;
            Current = null!;
        }

        public T Current { get; private set; }

        public readonly CandidateEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_state == 0)
            {
                _state = 1;
                if (_index._exact.Count > 0 && !_host.IsEmpty && _index._exactLookup.TryGetValue(_host, out var exact))
                {
                    Current = exact;
                    return true;
                }
            }

            if (_state == 1)
            {
                // Suffixes ".b.example.com", ".example.com", ".com": longest (most specific) first.
                while (_index._wildcard.Count > 0)
                {
                    var next = _host[(_dot + 1)..].IndexOf('.');
                    if (next < 0)
                    {
                        break;
                    }

                    _dot = _dot + 1 + next;
                    if (_dot > 0 && _index._wildcardLookup.TryGetValue(_host[_dot..], out var wildcard))
                    {
                        Current = wildcard;
                        return true;
                    }
                }

                _state = 2;
            }

            if (_state == 2)
            {
                _state = 3;
                if (_index._any is { } any)
                {
                    Current = any;
                    return true;
                }
            }

            return false;
        }
    }
}
