using Higress.Hosting.Resilience;
using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Tests.Resilience;

/// <summary>Both health-check thresholds, on the pure transition of <see cref="ActiveHealthPolicy"/>.</summary>
public sealed class ActiveHealthPolicyTests
{
    [Fact]
    public void A_destination_turns_unhealthy_after_unhealthyThreshold_failures_and_back_after_healthyThreshold_successes()
    {
        var health = DestinationHealth.Unknown;
        var trace = new List<DestinationHealth>();
        int successes = 0, failures = 0;
        foreach (var good in new[] { true, false, false, false, true, true, false, true, true, true })
        {
            (successes, failures) = good ? (successes + 1, 0) : (0, failures + 1);
            health = ActiveHealthPolicy.Next(health, successes, failures, healthyThreshold: 3, unhealthyThreshold: 3);
            trace.Add(health);
        }

        var h = DestinationHealth.Healthy;
        var u = DestinationHealth.Unhealthy;
        Assert.Equal([h, h, h, u, u, u, u, u, u, h], trace);
    }
}
