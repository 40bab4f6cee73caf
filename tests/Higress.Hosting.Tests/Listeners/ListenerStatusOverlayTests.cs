using Higress.Core.Plan;
using Higress.Core.Resources;
using Higress.Core.Translation;
using Higress.Hosting.Listeners;

namespace Higress.Hosting.Tests.Listeners;

/// <summary>The runtime's listener state laid over the translator's statuses.</summary>
public sealed class ListenerStatusOverlayTests
{
    private static readonly ResourceKey Gateway = new(ResourceKinds.HigressGateway, "infra", "gw");

    [Fact]
    public void A_failed_endpoint_makes_its_listener_and_gateway_not_programmed_with_the_reason()
    {
        var statuses = Statuses();
        var endpoints = new[]
        {
            Status(Endpoint(8080, "web"), ListenerEndpointState.Open, null),
            Status(Endpoint(8081, "busy"), ListenerEndpointState.Failed, "address in use: free the port or choose another one"),
        };

        var overlaid = ListenerStatusOverlay.Apply(statuses, endpoints).Single(s => s.Object == Gateway.ToString());

        var gateway = overlaid.Conditions.Single(c => c.Type == "Programmed");
        Assert.False(gateway.Status);
        Assert.Equal("PortUnavailable", gateway.Reason);
        Assert.Contains("listener busy: 127.0.0.1:8081 cannot be opened: address in use", gateway.Message, StringComparison.Ordinal);
        var busy = overlaid.Parents.Single(p => p.Parent == "listener busy").Conditions.Single(c => c.Type == "Programmed");
        Assert.Equal(("PortUnavailable", false), (busy.Reason, busy.Status));
        Assert.True(overlaid.Parents.Single(p => p.Parent == "listener web").Conditions.Single(c => c.Type == "Programmed").Status);
        Assert.Contains(overlaid.Conditions, c => c.Type == "Accepted" && c.Status);
    }

    [Fact]
    public void Open_endpoints_and_a_failed_admin_port_leave_statuses_as_translated()
    {
        var statuses = Statuses();
        var admin = new ListenerEndpoint("higress-admin", "127.0.0.1", 15021, "http", null, EquatableArray<ListenerPlan>.Empty);

        var overlaid = ListenerStatusOverlay.Apply(statuses, [Status(Endpoint(8080, "web"), ListenerEndpointState.Open, null), Status(admin, ListenerEndpointState.Failed, "address in use")]);

        Assert.Equal(statuses, overlaid);
    }

    [Fact]
    public void An_opening_endpoint_is_pending()
    {
        var overlaid = ListenerStatusOverlay.Apply(Statuses(), [Status(Endpoint(8080, "web"), ListenerEndpointState.Opening, null)]).Single();

        Assert.Equal("Pending", overlaid.Conditions.Single(c => c.Type == "Programmed").Reason);
    }

    private static ListenerEndpoint Endpoint(int port, string listener) =>
        new($"higress-{port}", "127.0.0.1", port, "http", "Http1", new[] { new ListenerPlan($"gw/{listener}", Gateway, listener, port, ListenerProtocol.Http, default) }.ToEquatableArray());

    private static ListenerEndpointStatus Status(ListenerEndpoint endpoint, ListenerEndpointState state, string? reason) => new(endpoint, state, reason);

    private static EquatableArray<ObjectStatus> Statuses()
    {
        var programmed = new StatusCondition("Programmed", true, "Programmed", "serving");
        return new[]
        {
            new ObjectStatus(
                Gateway.ToString(),
                1,
                new[] { new StatusCondition("Accepted", true, "Accepted", "ok"), programmed }.ToEquatableArray(),
                new[] { new ParentStatus("listener web", new[] { programmed }.ToEquatableArray()), new ParentStatus("listener busy", new[] { programmed }.ToEquatableArray()) }.ToEquatableArray()),
        }.ToEquatableArray();
    }
}
