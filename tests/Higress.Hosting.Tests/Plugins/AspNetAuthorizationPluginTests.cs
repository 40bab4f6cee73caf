using System.Net;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;
using Higress.Hosting.Plugins.AspNetAuthorization;
using Higress.Hosting.Tests.Authorization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Plugins;

/// <summary>
/// A rule naming an ASP.NET Core policy (Route <c>authorizationPolicy</c>, HTTPRoute annotation, Extension of
/// <c>aspnet-authorization</c>), evaluated with the host's JwtBearer handler; bad names are config errors.
/// </summary>
public sealed class AspNetAuthorizationPluginTests
{
    private const string Gateway = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: gw}
        spec:
          listeners: [{protocol: HTTP, port: {{port}}}]
        ---
        """;

    [Fact]
    public async Task A_route_rule_naming_a_policy_refuses_what_the_policy_denies_and_forwards_the_user_as_consumer()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(Gateway + "\n" + """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api}
            spec:
              http:
              - match: [{uri: {prefix: /admin}}]
                authorizationPolicy: admins
                route: [{destination: {host: backend, port: {{backend}}}}]
              - route: [{destination: {host: backend, port: {{backend}}}}]
            """);

        using var anonymous = await gateway.GetAsync("/admin/anonymous");
        using var user = await gateway.GetAsync("/admin/user", AuthorizedGateway.Token("bob", "user"));
        using var admin = await gateway.GetAsync("/admin/alice", AuthorizedGateway.Token("alice", "admin"), null, ("X-Mse-Consumer", "root"));
        using var open = await gateway.GetAsync("/public");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Forbidden, user.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal([("/admin/alice", "alice"), ("/public", string.Empty)], gateway.Backend);
    }

    [Fact]
    public async Task The_documented_Extension_loads_and_requires_a_signed_in_user()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(Gateway + "\n" + """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api}
            spec:
              http:
              - route: [{destination: {host: backend, port: {{backend}}}}]
            ---

            """ + DocumentedExample());

        using var anonymous = await gateway.GetAsync("/anonymous");
        using var user = await gateway.GetAsync("/user", AuthorizedGateway.Token("bob", "user"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        Assert.Equal([("/user", "bob")], gateway.Backend);
    }

    [Fact]
    public async Task A_cookie_handler_challenges_with_its_redirect_and_nothing_is_forwarded()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(
            Gateway + "\n" + """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api}
            spec:
              http:
              - authorizationPolicy: cookies
                route: [{destination: {host: backend, port: {{backend}}}}]
            """,
            services: s =>
            {
                s.AddAuthentication().AddCookie();
                s.AddAuthorization(o => o.AddPolicy("cookies", p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser()));
            });

        using var response = await gateway.GetAsync("/orders");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Empty(gateway.Backend);
    }

    [Fact]
    public async Task An_unknown_policy_fails_its_rule_closed_and_nothing_is_forwarded()
    {
        await using var gateway = await AuthorizedGateway.StartAsync(Gateway + "\n" + """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api}
            spec:
              http:
              - authorizationPolicy: admns
                route: [{destination: {host: backend, port: {{backend}}}}]
            """);

        using var admin = await gateway.GetAsync("/admin", AuthorizedGateway.Token("alice", "admin"));

        Assert.Equal(HttpStatusCode.InternalServerError, admin.StatusCode);
        Assert.Empty(gateway.Backend);
    }

    [Fact]
    public void Bad_names_are_errors_on_the_field_that_named_them()
    {
        var result = Translate("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw, namespace: shop}
            spec:
              listeners: [{protocol: HTTP, port: 8080}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api, namespace: shop}
            spec:
              http:
              - authorizationPolicy: admns
                route: [{destination: {host: backend, port: 80}}]
            ---
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: web
              namespace: shop
              annotations: {higress.io/authorization-policy: nobody}
            spec:
              rules: [{backendRefs: [{name: backend, port: 80}]}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: authz, namespace: shop}
            spec:
              plugin: aspnet-authorization
              config: {policy: admins, polcy: x}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: reserved, namespace: other}
            spec:
              plugin: aspnet-authorization
              config: {policy: default}
            """);
        var errors = result.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("Route shop/api: spec.http[0].authorizationPolicy: no ASP.NET Core authorization policy named 'admns'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HTTPRoute shop/web: metadata.annotations[higress.io/authorization-policy]: no ASP.NET Core authorization policy named 'nobody'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Extension shop/authz: spec.config.polcy:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Extension other/reserved: spec.config.policy: 'default' is reserved", StringComparison.Ordinal));
    }

    [Fact]
    public void A_valid_name_binds_the_plugin_in_the_AUTHZ_phase()
    {
        var result = Translate("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw, namespace: shop}
            spec:
              listeners: [{protocol: HTTP, port: 8080}]
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: api, namespace: shop}
            spec:
              http:
              - authorizationPolicy: admins
                route: [{destination: {host: backend, port: 80}}]
            """);

        var binding = Assert.Single(result.Plan.Routes.Single().Plugins);
        Assert.Equal("aspnet-authorization", binding.Name);
        Assert.Equal(PluginPhase.Authz, binding.Phase);
        Assert.DoesNotContain(result.Diagnostics, d => d.FieldPath.Contains("authorizationPolicy", StringComparison.Ordinal));
    }

    // The yaml block of docs/plugins/aspnet-authorization.md, unchanged.
    private static string DocumentedExample()
    {
        var doc = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "docs", "plugins", "aspnet-authorization.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        return doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
    }

    private static TranslationResult Translate(string yaml)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddAuthorization(o =>
            {
                o.AddPolicy("admins", p => p.RequireRole("admin"));
                o.AddPolicy("default", p => p.RequireRole("x"));
            })
            .AddAuthenticationCore()
            .BuildServiceProvider();
        var catalog = new PluginCatalog([new AspNetAuthorizationPlugin(services)], services);
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", "test.yaml", 0, 0));
        return Translator.Translate(new ResourceSnapshot(parsed.Resources, parsed.Diagnostics), null, catalog);
    }
}
