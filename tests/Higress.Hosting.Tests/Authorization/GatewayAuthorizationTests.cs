using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Authorization;

/// <summary>MapHigress() endpoint conventions: evaluated on every gateway request with the host's handlers, or a startup error.</summary>
public sealed class GatewayAuthorizationTests
{
    internal const string OneRoute = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: {{port}}}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: api}
        spec:
          http:
          - route: [{destination: {host: backend, port: {{backend}}}}]
        """;

    [Fact]
    public async Task RequireAuthorization_with_a_policy_challenges_without_a_token_forbids_a_denied_user_and_forwards_an_allowed_one()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(OneRoute, conventions: c => c.RequireAuthorization("admins"));

        using var anonymous = await gateway.GetAsync("/anonymous");
        using var tampered = await gateway.GetAsync("/tampered", AuthorizedGateway.Token("eve", "admin") + "x");
        using var user = await gateway.GetAsync("/user", AuthorizedGateway.Token("bob", "user"));
        using var admin = await gateway.GetAsync("/admin", AuthorizedGateway.Token("alice", "admin"));
        using var unknownPath = await gateway.GetAsync("/no/such/route/either");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownPath.StatusCode);
        Assert.Equal(["/admin"], gateway.Backend.Select(r => r.Path));
    }

    [Fact]
    public async Task RequireAuthorization_without_a_policy_requires_an_authenticated_user()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(OneRoute, conventions: c => c.RequireAuthorization());

        using var anonymous = await gateway.GetAsync("/anonymous");
        using var user = await gateway.GetAsync("/user", AuthorizedGateway.Token("bob", "user"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal(["/user"], gateway.Backend.Select(r => r.Path));
    }

    [Fact]
    public async Task AllowAnonymous_lifts_the_requirement_of_RequireAuthorization()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(OneRoute, conventions: c => c.RequireAuthorization("admins").AllowAnonymous());

        using var anonymous = await gateway.GetAsync("/anonymous");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Equal(["/anonymous"], gateway.Backend.Select(r => r.Path));
    }

    [Fact]
    public async Task A_client_cannot_claim_a_consumer_past_the_gateway_policy()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(OneRoute, conventions: c => c.RequireAuthorization("admins"));

        using var admin = await gateway.GetAsync("/admin", AuthorizedGateway.Token("alice", "admin"), null, ("X-Mse-Consumer", "root"));

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal([("/admin", string.Empty)], gateway.Backend);
    }

    [Fact]
    public async Task A_custom_authentication_handler_challenges_and_forbids_the_same_way()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(
            OneRoute,
            conventions: c => c.RequireAuthorization(policy => policy.AddAuthenticationSchemes(HeaderAuthenticationHandler.SchemeName).RequireRole("admin")),
            services: s => s.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null));

        using var anonymous = await gateway.GetAsync("/anonymous");
        using var user = await gateway.GetAsync("/user", null, null, ("X-User", "bob"), ("X-Role", "user"));
        using var admin = await gateway.GetAsync("/admin", null, null, ("X-User", "alice"), ("X-Role", "admin"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(["/admin"], gateway.Backend.Select(r => r.Path));
    }

    [Fact]
    public async Task Conventions_the_gateway_cannot_honour_fail_the_start_naming_the_convention()
    {
        var cors = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorizedGateway.StartAsync(
            OneRoute, conventions: c => c.RequireCors(policy => policy.AllowAnyOrigin()), services: s => s.AddCors()));
        var rateLimiting = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorizedGateway.StartAsync(
            OneRoute, conventions: c => c.RequireRateLimiting("fixed")));
        var other = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorizedGateway.StartAsync(
            OneRoute, conventions: c => c.WithMetadata(new CorsPolicy())));

        Assert.Contains("RequireCors", cors.Message, StringComparison.Ordinal);
        Assert.Contains("RequireRateLimiting", rateLimiting.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(CorsPolicy).FullName!, other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_policy_or_missing_authentication_services_fail_the_start()
    {
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorizedGateway.StartAsync(
            OneRoute, conventions: c => c.RequireAuthorization("admns")));
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => AuthorizedGateway.StartAsync(
            OneRoute, conventions: c => c.RequireAuthorization(), addAuthentication: false));

        Assert.Contains("'admns'", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("AddAuthentication", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_conventions_the_gateway_adds_no_authorization()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(OneRoute);

        using var anonymous = await gateway.GetAsync("/anonymous");

        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
    }
}
