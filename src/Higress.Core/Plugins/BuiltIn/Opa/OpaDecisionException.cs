namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>A decision that could not be made; answered per the fail strategy.</summary>
/// <param name="reason">A short label for metrics: <c>eval_error</c>, <c>timeout</c>, <c>remote_status</c>, ...</param>
/// <param name="message">What failed.</param>
internal sealed class OpaDecisionException(string reason, string message) : Exception(message)
{
    /// <summary>The label of the failure in metrics.</summary>
    public string Reason { get; } = reason;
}
