using Higress.Core.Plan;

namespace Higress.Core.Routing;

/// <summary>
/// Chooses one backend of a forwarding rule (or of its canary, see <see cref="CanaryPicker"/>) by weight; a backend of weight 0 is never chosen. The gateway rolls with
/// <see cref="Random.Shared"/>, the explainer with its seeded <see cref="Random"/>, so both choose the same way.
/// </summary>
internal sealed class BackendPicker
{
    private readonly IReadOnlyList<BackendPlan> _all;
    private readonly int[] _indexes;
    private readonly int[] _cumulative;
    private readonly int _total;
    private readonly CanaryPicker? _canary;

    /// <summary>The picker of a forwarding rule: its backends and, when it has one, its canary.</summary>
    public BackendPicker(ForwardAction forward)
        : this(forward.Backends)
    {
        _canary = forward.Canary is { } canary ? new CanaryPicker(canary) : null;
    }

    public BackendPicker(IReadOnlyList<BackendPlan> backends)
    {
        _all = backends;
        _indexes = Enumerable.Range(0, backends.Count).Where(i => backends[i].Weight > 0).ToArray();
        _cumulative = new int[_indexes.Length];
        var sum = 0;
        for (var i = 0; i < _indexes.Length; i++)
        {
            sum = checked(sum + backends[_indexes[i]].Weight);
            _cumulative[i] = sum;
        }

        _total = sum;
    }

    /// <summary>Picks a backend for <paramref name="request"/>: the canary's when the canary takes it, else the rule's.</summary>
    public BackendPlan? Pick<TRequest>(in TRequest request, Random random)
        where TRequest : IRouteRequest =>
        _canary is not null && _canary.Chooses(request, random) ? _canary.Backends.Pick(random) : Pick(random);

    /// <summary>Picks one of the backends by weight, or null when every weight is 0 (the rule then answers 500).</summary>
    public BackendPlan? Pick(Random random) => PickIndex(random) is var index and >= 0 ? _all[index] : null;

    /// <summary>The position of the chosen backend in the rule's list, or -1 when every weight is 0.</summary>
    public int PickIndex(Random random)
    {
        if (_indexes.Length <= 1)
        {
            return _indexes.Length == 0 ? -1 : _indexes[0];
        }

        var roll = random.Next(_total);
        var slot = Array.BinarySearch(_cumulative, roll + 1);
        return _indexes[slot >= 0 ? slot : ~slot];
    }
}
