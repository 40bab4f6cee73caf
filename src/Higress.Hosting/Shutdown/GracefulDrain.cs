using System.Runtime.InteropServices;
using Higress.Core.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Shutdown;

/// <summary>
/// Drains the gateway on SIGTERM: the host stops the application (so <c>/readyz</c> answers 503 at once), and this
/// service holds the stop for <c>Higress:Shutdown:DrainDelay</c> before any hosted service stops, Kestrel included, so
/// that listeners keep serving while load balancers notice. Kestrel then stops accepting and waits for in-flight
/// requests up to the host's shutdown timeout, which <see cref="ConfigureHostOptions"/> raises to cover both phases.
/// </summary>
/// <remarks>
/// Only a SIGTERM drains: a stop from code (tests, <c>app.StopAsync()</c>) is immediate. The signal is known here
/// because this service's handler is registered when <c>MapHigress()</c> runs, before the console lifetime registers
/// its own at start, so it runs first and marks the drain before the stop begins.
/// </remarks>
internal sealed partial class GracefulDrain(IHostApplicationLifetime lifetime, IOptions<HigressOptions> options, TimeProvider time, ILogger<GracefulDrain> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly Lock _gate = new();
    private PosixSignalRegistration? _sigterm;
    private volatile bool _signalled;

    /// <summary>Listens for SIGTERM (once; later calls do nothing). Platforms without the signal drain never.</summary>
    public void Arm()
    {
        lock (_gate)
        {
            if (_sigterm is not null)
            {
                return;
            }

            try
            {
                _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSigterm);
            }
            catch (PlatformNotSupportedException)
            {
                // No SIGTERM here (e.g. a browser host): the host stops as it always did.
            }
        }
    }

    /// <summary>Makes the host's shutdown timeout at least <c>DrainDelay + Timeout</c>, so that neither phase is cut short.</summary>
    public static void ConfigureHostOptions(HostOptions host, HigressShutdownOptions shutdown)
    {
        var needed = shutdown.DrainDelay + shutdown.Timeout;
        if (host.ShutdownTimeout < needed)
        {
            host.ShutdownTimeout = needed;
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Arm();
        return Task.CompletedTask;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        var delay = options.Value.Shutdown.DrainDelay;
        if (!_signalled || delay <= TimeSpan.Zero)
        {
            return;
        }

        Log.Draining(logger, delay, options.Value.Shutdown.Timeout);
        try
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ended the delay: go on stopping.
        }

        Log.StopAccepting(logger);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_gate)
        {
            _sigterm?.Dispose();
        }
    }

    private void OnSigterm(PosixSignalContext context)
    {
        _signalled = true;

        // Stop as the console lifetime would (it may be absent, e.g. under systemd); the process exits when Main returns.
        context.Cancel = true;
        lifetime.StopApplication();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.Draining, Level = LogLevel.Information, Message = "SIGTERM: /readyz answers 503; serving for {DrainDelay} more so that load balancers notice, then in-flight requests get up to {Timeout}")]
        public static partial void Draining(ILogger logger, TimeSpan drainDelay, TimeSpan timeout);

        [LoggerMessage(EventId = EventIds.DrainDelayOver, Level = LogLevel.Information, Message = "Drain delay over: the listeners stop accepting and in-flight requests finish")]
        public static partial void StopAccepting(ILogger logger);
    }
}
