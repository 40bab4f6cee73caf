using Higress.Core.Plan;

namespace Higress.Hosting.Datagrams;

/// <summary>
/// A UDP route made ready for the receive loop: a new session picks a backend by weight, then the backend's next
/// destination in turn. Immutable apart from the turn counters; a plan change swaps the whole object.
/// </summary>
internal sealed class DatagramRoute
{
    private readonly Backend[] _backends;
    private readonly int _totalWeight;
    private readonly HashSet<string> _addresses;

    public DatagramRoute(UdpRoutePlan plan)
    {
        Plan = plan;
        _backends = plan.Backends.Where(b => b.Weight > 0 && !b.Destinations.IsEmpty).Select(b => new Backend(b)).ToArray();
        _totalWeight = _backends.Sum(b => b.Plan.Weight);
        _addresses = plan.Backends.SelectMany(b => b.Destinations).Select(d => d.Address).ToHashSet(StringComparer.Ordinal);
    }

    public UdpRoutePlan Plan { get; }

    /// <summary>The destination for a new session, or null when the route has no backend with endpoints and weight.</summary>
    public DestinationPlan? Pick()
    {
        if (_totalWeight == 0)
        {
            return null;
        }

        var ticket = Random.Shared.Next(_totalWeight);
        foreach (var backend in _backends)
        {
            if (ticket < backend.Plan.Weight)
            {
                return backend.Next();
            }

            ticket -= backend.Plan.Weight;
        }

        return _backends[^1].Next();
    }

    /// <summary>Whether <paramref name="address"/> (a <see cref="DestinationPlan.Address"/>) is still one of the route's destinations.</summary>
    public bool Serves(string address) => _addresses.Contains(address);

    private sealed class Backend(UdpBackendPlan plan)
    {
        private int _turn = -1;

        public UdpBackendPlan Plan { get; } = plan;

        public DestinationPlan Next()
        {
            var turn = (uint)Interlocked.Increment(ref _turn);
            return Plan.Destinations[(int)(turn % (uint)Plan.Destinations.Count)];
        }
    }
}
