using Higress.Core.Resources;
using Higress.Core.Resources.Sources;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Benchmarks;

/// <summary>
/// A real gateway host in process (AddHigress + MapHigress, YARP wired, Kestrel on an ephemeral loopback port) whose
/// objects come from a <see cref="CodeResourceSource"/>. Reloads are driven by hand with <see cref="Rebuild"/>, the
/// same call the configuration loop makes after its debounce, so that a measurement covers snapshot, translation and
/// apply (route table, plugin chains, YARP routes and clusters, endpoint hand-over) and nothing else.
/// </summary>
internal sealed class ReloadHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CodeResourceSource _source;
    private readonly HigressConfigurationLoop _loop;

    private ReloadHost(WebApplication app, CodeResourceSource source)
    {
        _app = app;
        _source = source;
        _loop = app.Services.GetRequiredService<HigressConfigurationLoop>();
        Runtime = app.Services.GetRequiredService<HigressRuntime>();
    }

    internal HigressRuntime Runtime { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The generation of the plan that serves requests.</summary>
    public long AppliedGeneration => Runtime.Current.Plan.Generation;

    /// <summary>Starts a host serving <paramref name="initial"/>.</summary>
    public static async Task<ReloadHost> StartAsync(IReadOnlyList<Resource> initial)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:OpenListeners"] = "false",
            ["Higress:Admin:Enabled"] = "false",

            // The loop must never rebuild on its own in the middle of a measurement.
            ["Higress:ReloadDebounce"] = "01:00:00",
        });
        var source = new CodeResourceSource(b => Add(b, initial), "bench");
        builder.Services.AddSingleton<IResourceSource>(source);
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        return new ReloadHost(app, source);
    }

    /// <summary>Replaces the objects of the code source (not timed: this is the change itself).</summary>
    public void SetResources(IReadOnlyList<Resource> resources) => _source.Update(b => Add(b, resources));

    /// <summary>Snapshot, translate and apply, as the configuration loop does on a change.</summary>
    public void Rebuild() => _loop.Rebuild();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _source.Dispose();
    }

    private static void Add(ResourceBuilder builder, IReadOnlyList<Resource> resources)
    {
        foreach (var resource in resources)
        {
            builder.AddResource(resource);
        }
    }
}
