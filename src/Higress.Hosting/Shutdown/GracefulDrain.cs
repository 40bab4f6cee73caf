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
/// Only a SIGTERM drains: a stop from code (tests, <c>app.StopAsync()</c>) is immediate. So this service's handler
/// must mark the drain before any other handler of the signal starts the stop: the console lifetime's does, and the
/// stop then runs on another thread at once. The runtime calls a signal's handlers one after another, in the reverse
/// order of their registration (.NET 10; earlier runtimes in their order), so the handler is registered twice: when
/// <c>MapHigress()</c> runs, before the console lifetime registers its own at start, and again once the host has
/// started, after it. Whichever order the runtime keeps, one of the two runs before the console lifetime's.
/// </remarks>
internal sealed partial class GracefulDrain(IHostApplicationLifetime lifetime, IOptions<HigressOptions> options, TimeProvider time, ILogger<GracefulDrain> logger)
    : IHostedLifecycleService, IDisposable
{
    private readonly Lock _gate = new();
    private PosixSignalRegistration? _sigterm;
    private PosixSignalRegistration? _sigtermAfterStart;
    private volatile bool _signalled;

    /// <summary>Listens for SIGTERM (once; later calls do nothing). Platforms without the signal drain never.</summary>
    public void Arm()
    {
        lock (_gate)
        {
            _sigterm ??= Register();
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

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        // After the console lifetime's own registration (made before the hosted services start): see the remarks.
        lock (_gate)
        {
            _sigtermAfterStart ??= Register();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_gate)
        {
            _sigterm?.Dispose();
            _sigtermAfterStart?.Dispose();
        }
    }

    private PosixSignalRegistration? Register()
    {
        try
        {
            return PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSigterm);
        }
        catch (PlatformNotSupportedException)
        {
            // No SIGTERM here (e.g. a browser host): the host stops as it always did.
            return null;
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
