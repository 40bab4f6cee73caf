using System.Net;
using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>
/// A real Kestrel backend that fails on purpose: it answers every request with <see cref="Status"/> and the health
/// probe path <c>/healthz</c> with <see cref="ProbeStatus"/>, both changeable while it runs, and counts each kind.
/// </summary>
internal sealed class StatusBackend : IAsyncDisposable
{
    public const string ProbePath = "/healthz";

    private readonly WebApplication _app;
    private int _requests;
    private int _probes;

    private StatusBackend(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The status of every request but probes.</summary>
    public int Status { get; set; } = 200;

    /// <summary>The status of probes (<see cref="ProbePath"/>).</summary>
    public int ProbeStatus { get; set; } = 200;

    /// <summary>Requests other than probes that arrived.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Probes that arrived.</summary>
    public int Probes => Volatile.Read(ref _probes);

    public static Task<StatusBackend> StartAsync(int status = 200) =>
        LoopbackBackend.StartAsync((app, port) => new StatusBackend(app, port) { Status = status }, b => b.Handle);

    /// <summary>Starts one backend per status.</summary>
    public static async Task<StatusBackend[]> StartManyAsync(params int[] statuses)
    {
        var backends = new StatusBackend[statuses.Length];
        for (var i = 0; i < statuses.Length; i++)
        {
            backends[i] = await StartAsync(statuses[i]);
        }

        return backends;
    }

    public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(_app);

    private Task Handle(HttpContext context)
    {
        if (context.Request.Path.Equals(ProbePath, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _probes);
            context.Response.StatusCode = ProbeStatus;
        }
        else
        {
            Interlocked.Increment(ref _requests);
            context.Response.StatusCode = Status;
        }

        return Task.CompletedTask;
    }
}
