using Higress.Core.Plan;

namespace Higress.Hosting.Runtime;

/// <summary>Chooses one backend of a forwarding rule by weight; a backend of weight 0 is never chosen.</summary>
internal sealed class BackendPicker
{
    private readonly BackendPlan[] _backends;
    private readonly int[] _cumulative;
    private readonly int _total;

    public BackendPicker(IReadOnlyList<BackendPlan> backends)
    {
        _backends = backends.Where(b => b.Weight > 0).ToArray();
        _cumulative = new int[_backends.Length];
        var sum = 0;
        for (var i = 0; i < _backends.Length; i++)
        {
            sum = checked(sum + _backends[i].Weight);
            _cumulative[i] = sum;
        }

        _total = sum;
    }

    /// <summary>Picks a backend, or null when every weight is 0 (the rule then answers 500).</summary>
    public BackendPlan? Pick()
    {
        if (_backends.Length <= 1)
        {
            return _backends.Length == 0 ? null : _backends[0];
        }

        var roll = Random.Shared.Next(_total);
        var index = Array.BinarySearch(_cumulative, roll + 1);
        return _backends[index >= 0 ? index : ~index];
    }
}
