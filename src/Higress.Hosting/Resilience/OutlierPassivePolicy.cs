using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Resilience;

/// <summary>
/// The passive policy named in the YARP config of clusters with outlier detection. YARP honours passive health
/// (<see cref="IDestinationHealthUpdater.SetPassive"/>) only when a passive policy is enabled, but the counting happens
/// per try in <see cref="OutlierDetection"/> (a request's retries are tries of their own), so this one does nothing.
/// </summary>
internal sealed class OutlierPassivePolicy : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "HigressOutlierDetection";

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
    }
}
