using Higress.Opa;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// One opa instance's long-lived state: the embedded policy source (kept current across reloads while the config is
/// unchanged) or the pooled client of the remote OPA, and the evaluation limits. Released with the instance.
/// </summary>
internal sealed class OpaState(OpaPolicySource? source, HttpClient? remote, EvaluationOptions limits) : IDisposable
{
    /// <summary>The embedded policy, or null in remote mode.</summary>
    public OpaPolicySource? Source { get; } = source;

    /// <summary>The client of the remote OPA, or null in embedded mode.</summary>
    public HttpClient? Remote { get; } = remote;

    /// <summary>The engine's limits for one decision: the <c>timeout</c> and the depth limit.</summary>
    public EvaluationOptions Limits { get; } = limits;

    public void Dispose() => Source?.Dispose();
}
