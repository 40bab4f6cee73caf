using System.Net;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Resilience;

/// <summary>
/// A cluster's outlier detection: learns from every try (retries included) and ejects a destination through YARP's
/// passive health (<see cref="IDestinationHealthUpdater.SetPassive"/>), which takes it out of the available
/// destinations until the ejection time is over. When every destination is ejected or unhealthy, YARP's
/// <c>HealthyOrPanic</c> policy routes to all of them (Envoy's panic).
/// </summary>
internal sealed partial class OutlierDetection : IUpstreamTryObserver, IDisposable
{
    private readonly string _clusterId;
    private readonly OutlierDetector _detector;
    private readonly OutlierDetectionFactory _owner;
    private readonly Dictionary<string, ITimer> _returns = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private bool _disposed;

    public OutlierDetection(ClusterPlan cluster, OutlierPlan plan, OutlierDetectionFactory owner)
    {
        _clusterId = cluster.Id;
        _owner = owner;
        _detector = new OutlierDetector(plan, cluster.Destinations.Count, owner.Time);
    }

    /// <summary>Destinations this policy has ejected and that are not back yet.</summary>
    public int Ejected => _detector.Ejected;

    /// <summary>When the ejection of the destination with <paramref name="destinationId"/> ends, or null when it is in service.</summary>
    public DateTimeOffset? EjectedUntil(string destinationId) => _detector.EjectedUntil(destinationId);

    public void OnTry(UpstreamCall call, DestinationState destination, HttpResponseMessage? response, Exception? error)
    {
        if (Classify(call, response, error) is not { } outcome || _detector.Record(destination.DestinationId, outcome) is not { } length)
        {
            return;
        }

        if (call.Proxy.Route.Cluster is { } cluster)
        {
            _owner.HealthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, length);

            // SetPassive recomputes the available destinations on the thread pool; do it now so that the very next
            // request already avoids the ejected destination.
            _owner.DestinationsUpdater.UpdateAvailableDestinations(cluster);
        }

        _owner.CountEjection(_clusterId);
        Log.Ejected(_owner.Logger, destination.DestinationId, _clusterId, length);
        ScheduleReturn(destination.DestinationId, length);
    }

    public void Dispose()
    {
        _owner.Forget(this);
        lock (_lock)
        {
            _disposed = true;
            foreach (var timer in _returns.Values)
            {
                timer.Dispose();
            }

            _returns.Clear();
        }
    }

    /// <summary>What a try counts as; null when it says nothing about the destination (the client went away).</summary>
    internal static TryOutcome? Classify(UpstreamCall call, HttpResponseMessage? response, Exception? error)
    {
        if (response is not null)
        {
            return response.StatusCode switch
            {
                HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout => TryOutcome.GatewayError,
                >= HttpStatusCode.InternalServerError => TryOutcome.ServerError,
                _ => TryOutcome.Success,
            };
        }

        return error is OperationCanceledException && call.HttpContext.RequestAborted.IsCancellationRequested ? null : TryOutcome.GatewayError;
    }

    // YARP brings the destination back by itself (the reactivation passed to SetPassive); this only tells the log.
    private void ScheduleReturn(string destination, TimeSpan length)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _returns.Remove(destination, out var previous);
            previous?.Dispose();
            _returns[destination] = _owner.Time.CreateTimer(_ => Returned(destination), null, length, Timeout.InfiniteTimeSpan);
        }
    }

    private void Returned(string destination)
    {
        lock (_lock)
        {
            if (_disposed || !_returns.Remove(destination, out var timer))
            {
                return;
            }

            timer.Dispose();
        }

        Log.Returned(_owner.Logger, destination, _clusterId);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.DestinationEjected, Level = LogLevel.Warning, Message = "Outlier detection ejected destination {Destination} of cluster {Cluster} for {Length}")]
        public static partial void Ejected(ILogger logger, string destination, string cluster, TimeSpan length);

        [LoggerMessage(EventId = EventIds.DestinationReturned, Level = LogLevel.Information, Message = "Destination {Destination} of cluster {Cluster} is back in service after its ejection")]
        public static partial void Returned(ILogger logger, string destination, string cluster);
    }
}
