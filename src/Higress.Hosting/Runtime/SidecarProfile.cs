using System.Runtime;
using Higress.Core.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Applies what <c>Higress:Profile=sidecar</c> can change inside a running process (docs/sidecar.md, "Memory"): a GC
/// heap limit (unless the environment set one), the non-concurrent latency mode, and one aggressive, compacting
/// collection once start-up garbage (configuration parsing, first requests' JIT work) is dead, followed by the release
/// of start-up-only image pages (<see cref="ImagePages"/>, <c>Higress:Sidecar:TrimImagePages</c>). The settings the
/// runtime reads before <c>Main</c> (Workstation GC, W^X, tiered PGO) cannot be changed here; when they are missing,
/// a warning names them.
/// </summary>
internal sealed partial class SidecarProfile(IOptions<HigressOptions> options, TimeProvider timeProvider, ILogger<SidecarProfile> logger) : IHostedService, IDisposable
{
    /// <summary>The heap limit when the environment sets none: far above the few MB a sidecar's heap holds, so that
    /// it only makes the GC collect sooner, never fail a request that a larger heap would have served.</summary>
    internal const long DefaultHeapHardLimit = 128L * 1024 * 1024;

    /// <summary>How long upstream connections of a sidecar stay pooled while idle (SocketsHttpHandler's default is 1 minute).</summary>
    internal static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan CompactAfter = TimeSpan.FromSeconds(10);
    private ITimer? _timer;

    /// <summary>Whether the image pages are released after start-up: the setting, else on in the sidecar profile.</summary>
    internal static bool TrimsImagePages(HigressOptions options) =>
        OperatingSystem.IsLinux() && (options.Sidecar.TrimImagePages ?? options.Profile == HigressProfile.Sidecar);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var trim = TrimsImagePages(options.Value);
        if (options.Value.Profile != HigressProfile.Sidecar)
        {
            if (trim)
            {
                _timer = timeProvider.CreateTimer(_ => TrimImagePages(), null, CompactAfter, Timeout.InfiniteTimeSpan);
            }

            return Task.CompletedTask;
        }

        // GCHeapHardLimit from the environment or runtimeconfig wins; otherwise set one and make the GC re-read it.
        if (AppContext.GetData("GCHeapHardLimit") is null && Environment.GetEnvironmentVariable("DOTNET_GCHeapHardLimit") is null)
        {
            AppContext.SetData("GCHeapHardLimit", (ulong)DefaultHeapHardLimit);
            GC.RefreshMemoryLimit();
        }

        GCSettings.LatencyMode = GCLatencyMode.Batch;
        _timer = timeProvider.CreateTimer(_ => AfterStart(trim), null, CompactAfter, Timeout.InfiniteTimeSpan);
        var limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        Log.Applied(logger, limit, GCSettings.IsServerGC ? "Server" : "Workstation", GCSettings.LatencyMode.ToString());
        if (GCSettings.IsServerGC)
        {
            Log.Incomplete(logger, "Server GC is on; set DOTNET_gcServer=0 and DOTNET_gcConcurrent=0 (samples/Higress.Gateway/sidecar.env)");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _timer?.Dispose();

    private void AfterStart(bool trim)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (trim)
        {
            TrimImagePages();
        }
    }

    // Once: pages that later code paths touch fault back in and stay, as they belong to the steady state.
    private void TrimImagePages()
    {
        try
        {
            var before = ResidentKb();
            var released = ImagePages.Trim();
            Log.Trimmed(logger, released.Mappings, released.RssKb / 1024, before / 1024, ResidentKb() / 1024);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // It runs on a timer's thread, where an exception would end the process: a saving must never cost the host.
            Log.TrimFailed(logger, ex);
        }
    }

    private static long ResidentKb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                // Only for the log line: a line it cannot read reports 0 rather than failing the timer's thread.
                return long.TryParse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture, out var kb) ? kb : 0;
            }
        }

        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.SidecarProfileApplied, Level = LogLevel.Information, Message = "Sidecar profile: GC heap limit {LimitMb} MB, {GcMode} GC, latency mode {LatencyMode}, idle upstream connections kept 15 s")]
        public static partial void Applied(ILogger logger, long limitMb, string gcMode, string latencyMode);

        [LoggerMessage(EventId = EventIds.SidecarProfileIncomplete, Level = LogLevel.Warning, Message = "Sidecar profile without its runtime settings: {Missing}")]
        public static partial void Incomplete(ILogger logger, string missing);

        [LoggerMessage(EventId = EventIds.ImagePagesTrimmed, Level = LogLevel.Information, Message = "Released the resident pages of {Mappings} image mappings ({ReleasedMb} MB); RSS {BeforeMb} MB -> {AfterMb} MB (Higress:Sidecar:TrimImagePages)")]
        public static partial void Trimmed(ILogger logger, int mappings, long releasedMb, long beforeMb, long afterMb);

        [LoggerMessage(EventId = EventIds.ImagePagesTrimFailed, Level = LogLevel.Warning, Message = "Could not release the resident pages of mapped images; the process runs on unchanged. Set Higress:Sidecar:TrimImagePages=false to skip the attempt")]
        public static partial void TrimFailed(ILogger logger, Exception exception);
    }
}
