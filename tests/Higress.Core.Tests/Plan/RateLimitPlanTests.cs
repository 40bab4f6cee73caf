using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Core.Tests.Plan;

/// <summary>The native <c>rateLimit</c> field maps to its plan: key kind and name, bucket size, unit length.</summary>
public sealed class RateLimitPlanTests
{
    [Theory]
    [InlineData("ip", RateLimitKey.Ip, null)]
    [InlineData("none", RateLimitKey.None, null)]
    [InlineData("consumer", RateLimitKey.Consumer, null)]
    [InlineData("header:x-api-key", RateLimitKey.Header, "x-api-key")]
    [InlineData("query:user", RateLimitKey.Query, "user")]
    public void The_key_maps_to_its_kind_and_name(string key, RateLimitKey kind, string? name)
    {
        var plan = RateLimitPlan.From(new RouteRateLimit { RequestsPerUnit = 100, Unit = RateLimitUnit.Minute, Burst = 20, Key = key })!;

        Assert.Equal((kind, name), (plan.Key, plan.KeyName));
        Assert.Equal(120, plan.BucketSize);
        Assert.Equal(TimeSpan.FromMinutes(1), plan.UnitLength);
    }

    [Fact]
    public void No_rateLimit_is_no_plan_and_a_huge_burst_caps_the_bucket()
    {
        Assert.Null(RateLimitPlan.From(null));
        Assert.Equal(int.MaxValue, new RateLimitPlan(int.MaxValue, RateLimitUnit.Day, int.MaxValue, RateLimitKey.None, null).BucketSize);
    }
}
