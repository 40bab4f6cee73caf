using Higress.Hosting.Runtime;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>The profile's post-start step trims once when the setting is on (event 2020), and not at all when it is off.</summary>
public sealed class SidecarProfileTrimTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PostStartStep_TrimsImagePages_AsSet(bool trim)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // The default profile, so that the test process's GC settings stay as they are; the setting alone turns trimming on.
        var options = Microsoft.Extensions.Options.Options.Create(new HigressOptions { Sidecar = { TrimImagePages = trim } });
        var logger = new EventLogger();
        using var profile = new SidecarProfile(options, new ImmediateTimers(), logger);

        await profile.StartAsync(CancellationToken.None);

        Assert.Equal(trim ? [Higress.Core.Diagnostics.EventIds.ImagePagesTrimmed] : [], logger.Events);
    }

    /// <summary>Runs a timer's callback as soon as it is created: the post-start step without waiting for it.</summary>
    private sealed class ImmediateTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            callback(state);
            return new Stopped();
        }

        private sealed class Stopped : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class EventLogger : Microsoft.Extensions.Logging.ILogger<SidecarProfile>
    {
        public List<int> Events { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Add(eventId.Id);
    }
}
