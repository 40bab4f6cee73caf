namespace Higress.Core.Plan;

/// <summary>Fault injection for a rule (Istio <c>HTTPFaultInjection</c>): applied after the plugins, before forwarding.</summary>
/// <param name="Delay">How long a delayed request waits, or null for no delay.</param>
/// <param name="DelayPercent">The share of requests delayed, 0..100.</param>
/// <param name="AbortStatus">The status an aborted request is answered with, or null for no abort.</param>
/// <param name="AbortPercent">The share of requests aborted, 0..100.</param>
public sealed record FaultPlan(TimeSpan? Delay, double DelayPercent, int? AbortStatus, double AbortPercent);
