using Higress.Core.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;

namespace Higress.Kubernetes.Status;

/// <summary>
/// Leader election among the replicas on a coordination.k8s.io/v1 Lease, with KubernetesClient's
/// <see cref="LeaderElector"/> and <see cref="LeaseLock"/>: only the leader writes status, every replica serves
/// traffic. The identity is the pod's name (<c>HOSTNAME</c>) plus a random suffix, so that two processes with one host
/// name (a restarted container, two gateways in a test) never both think they hold the Lease. On stop a leader
/// releases the Lease (an empty holder), so that a rolling update hands over at once rather than after the lease
/// duration.
/// </summary>
internal sealed partial class StatusLeader(IKubernetes client, KubernetesOptions options, ILogger logger)
{
    private const string ServiceAccountNamespace = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    private readonly LeaseLock _lock = new(client, LeaseNamespace(options), options.LeaseName, NewIdentity());
    private volatile bool _leading;
    private long _terms;

    /// <summary>This replica's identity in the Lease's <c>holderIdentity</c>.</summary>
    public string Identity => _lock.Identity;

    /// <summary>True while this replica holds the Lease.</summary>
    public bool IsLeader => _leading;

    /// <summary>Counts the times this replica became leader, so that the writer can start afresh in each term.</summary>
    public long Terms => Interlocked.Read(ref _terms);

    /// <summary>The Lease's namespace: <c>LeaseNamespace</c>, else the pod's (service-account file), else <c>default</c>.</summary>
    public static string LeaseNamespace(KubernetesOptions options, string serviceAccountFile = ServiceAccountNamespace)
    {
        if (!string.IsNullOrWhiteSpace(options.LeaseNamespace))
        {
            return options.LeaseNamespace;
        }

        try
        {
            return File.Exists(serviceAccountFile) && File.ReadAllText(serviceAccountFile).Trim() is { Length: > 0 } ns ? ns : "default";
        }
        catch (IOException)
        {
            return "default";
        }
        catch (UnauthorizedAccessException)
        {
            return "default";
        }
    }

    /// <summary>Campaigns for the Lease, holds it while it can, and campaigns again after losing it, until <paramref name="stopping"/>.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var config = new LeaderElectionConfig(_lock)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.LeaseRenewDeadline,
            RetryPeriod = options.LeaseRetryPeriod,
        };
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () =>
        {
            Interlocked.Increment(ref _terms);
            _leading = true;
            Log.StartedLeading(logger, Identity, _lock.Describe());
        };
        elector.OnStoppedLeading += () =>
        {
            _leading = false;
            Log.StoppedLeading(logger, Identity, _lock.Describe());
        };
        elector.OnNewLeader += leader => Log.NewLeader(logger, leader ?? "(none)", _lock.Describe());
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await elector.RunUntilLeadershipLostAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The elector lets an unreachable API server's errors through; campaign again after a pause.
                _leading = false;
                Log.ElectionFailed(logger, _lock.Describe(), options.LeaseRetryPeriod, ex.Message);
                try
                {
                    await Task.Delay(options.LeaseRetryPeriod, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        _leading = false;
    }

    /// <summary>Gives the Lease up when this replica holds it, so that another takes over without waiting for it to expire.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            var record = await _lock.GetAsync(cancellationToken).ConfigureAwait(false);
            if (record?.HolderIdentity != Identity)
            {
                return;
            }

            record.HolderIdentity = string.Empty;
            record.LeaseDurationSeconds = 1;
            await _lock.UpdateAsync(record, cancellationToken).ConfigureAwait(false);
            Log.Released(logger, Identity, _lock.Describe());
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or OperationCanceledException or InvalidOperationException)
        {
            // The Lease expires on its own; releasing only makes the handover quicker.
        }
    }

    private static string NewIdentity()
    {
        var host = Environment.GetEnvironmentVariable("HOSTNAME") is { Length: > 0 } name ? name : Environment.MachineName;
        return $"{host}_{Guid.NewGuid().ToString("N")[..8]}";
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.KubernetesLeaderStarted, Level = LogLevel.Information, Message = "Leader election: {Identity} now holds the Lease {Lease} and writes status")]
        public static partial void StartedLeading(ILogger logger, string identity, string lease);

        [LoggerMessage(EventId = EventIds.KubernetesLeaderStopped, Level = LogLevel.Information, Message = "Leader election: {Identity} no longer holds the Lease {Lease}; it stops writing status and keeps serving")]
        public static partial void StoppedLeading(ILogger logger, string identity, string lease);

        [LoggerMessage(EventId = EventIds.KubernetesLeaderObserved, Level = LogLevel.Information, Message = "Leader election: the Lease {Lease} is held by {Leader}")]
        public static partial void NewLeader(ILogger logger, string leader, string lease);

        [LoggerMessage(EventId = EventIds.KubernetesLeaderElectionFailed, Level = LogLevel.Warning, Message = "Leader election on the Lease {Lease} failed ({Reason}); trying again in {Delay}")]
        public static partial void ElectionFailed(ILogger logger, string lease, TimeSpan delay, string reason);

        [LoggerMessage(EventId = EventIds.KubernetesLeaseReleased, Level = LogLevel.Information, Message = "Leader election: {Identity} released the Lease {Lease} on stop")]
        public static partial void Released(ILogger logger, string identity, string lease);
    }
}
