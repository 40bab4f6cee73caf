using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Hosting.Tests.Plugins.ClusterKeyRateLimit;

/// <summary>Shared set-up of the cluster-key-rate-limit tests: a gateway with a backend, the Redis ServiceEntry and one plugin instance.</summary>
internal static class ClusterKeyRateLimitGateway
{
    /// <summary>Starts a gateway forwarding to <paramref name="backend"/> whose routes all run the plugin with <paramref name="config"/> (YAML, unindented).</summary>
    public static Task<LoopbackGateway> StartAsync(RedisServer redis, SleepingBackend backend, string config, ILoggerProvider? logs = null) =>
        LoopbackGateway.StartAsync(
            r => r.AddService("up", backend.Port, ["127.0.0.1"]).AddYaml(Resources(redis, backend, config)),
            higress: logs is null ? null : h => h.Services.AddSingleton(logs));

    /// <summary>The ServiceEntry, the Route and the Extension, as files would hold them.</summary>
    public static string Resources(RedisServer redis, SleepingBackend backend, string config) =>
        redis.ServiceEntry + "\n---\n" + LoopbackGateway.Route(LoopbackGateway.ForwardTo("up", backend.Port)) + "---\n" + Extension(config);

    public static string Extension(string config) =>
        "apiVersion: networking.higress.io/v1alpha1\nkind: Extension\nmetadata: {name: limit}\nspec:\n  plugin: cluster-key-rate-limit\n  config:\n    "
        + config.ReplaceLineEndings("\n    ") + "\n";
}
