using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;

namespace Higress.Hosting.Runtime;

/// <summary>
/// YARP's word on each configuration <see cref="HigressProxyConfigProvider"/> publishes: applied, or refused with
/// the reason. The runtime waits on this hand-over instead of polling YARP's endpoints. YARP applies an in-memory
/// configuration synchronously when its change token fires, so the wait normally completes before it starts.
/// </summary>
internal sealed class YarpApplyListener : IConfigChangeListener
{
    private readonly ConditionalWeakTable<IProxyConfig, TaskCompletionSource> _pending = [];

    /// <summary>Returns a task that completes when YARP has applied <paramref name="config"/>, or faults when it refused it.</summary>
    public Task Watch(IProxyConfig config) =>
        _pending.GetValue(config, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
        if (configProvider is HigressProxyConfigProvider higress && _pending.TryGetValue(higress.GetConfig(), out var pending))
        {
            pending.TrySetException(exception);
        }
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        foreach (var config in proxyConfigs)
        {
            if (_pending.TryGetValue(config, out var pending))
            {
                pending.TrySetResult();
            }
        }
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
        foreach (var config in proxyConfigs)
        {
            if (_pending.TryGetValue(config, out var pending))
            {
                pending.TrySetException(exception);
            }
        }
    }
}
