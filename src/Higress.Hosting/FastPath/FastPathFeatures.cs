using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.FastPath;

/// <summary>
/// YARP's view of a request forwarded by the fast path, set as YARP's own forwarder would, so that the access log,
/// telemetry and load-balancing policies read the cluster and the chosen destination from one place on both paths.
/// </summary>
internal sealed class FastPathProxyFeature(RouteModel route, ClusterModel cluster, ClusterDestinationsState destinations) : IReverseProxyFeature
{
    public RouteModel Route { get; } = route;

    public ClusterModel Cluster { get; } = cluster;

    public IReadOnlyList<DestinationState> AllDestinations { get; } = destinations.AllDestinations;

    public IReadOnlyList<DestinationState> AvailableDestinations { get; set; } = destinations.AvailableDestinations;

    public DestinationState? ProxiedDestination { get; set; }
}

/// <summary>A fast-path forwarding failure, reported as YARP reports its own, so that the gateway answers it alike.</summary>
internal sealed class FastPathError(ForwarderError error, Exception? exception) : IForwarderErrorFeature
{
    public ForwarderError Error { get; } = error;

    public Exception? Exception { get; } = exception;
}
