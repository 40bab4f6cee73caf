using Higress.Core.Resources;
using Higress.Core.Plan;
using Higress.Hosting.Runtime;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>The one header-edit semantic, the same for requests and responses: set, then add (comma-joined), then remove.</summary>
public sealed class HeaderEditsTests
{
    private static HeaderModifier Edits(string[]? set = null, string[]? add = null, string[]? remove = null) => new(
        [.. (set ?? []).Select(Pair)],
        [.. (add ?? []).Select(Pair)],
        [.. remove ?? []]);

    private static HeaderValue Pair(string header) => new(header.Split(':')[0], header.Split(':')[1]);

    [Fact]
    public void Add_appends_to_one_comma_joined_value()
    {
        var headers = new HeaderDictionary { ["X-A"] = "one" };
        HeaderEdits.Apply(headers, Edits(add: ["x-a:two", "X-B:new"]));

        Assert.Equal("one,two", headers["X-A"].ToString());
        Assert.Single(headers["X-A"]);
        Assert.Equal("new", headers["X-B"].ToString());
    }

    [Fact]
    public void Add_joins_every_existing_line_into_one_value()
    {
        var headers = new HeaderDictionary { ["X-A"] = new StringValues(["one", "two"]) };
        HeaderEdits.Apply(headers, Edits(add: ["X-A:three"]));

        Assert.Equal("one,two,three", Assert.Single(headers["X-A"]));
    }

    [Fact]
    public void Set_replaces_then_add_appends_then_remove_deletes()
    {
        var headers = new HeaderDictionary { ["X-Set"] = new StringValues(["a", "b"]), ["X-Gone"] = "x", ["X-Kept"] = "k" };
        HeaderEdits.Apply(headers, Edits(set: ["x-set:s"], add: ["X-Set:t"], remove: ["x-gone", "X-Never-There"]));

        Assert.Equal("s,t", Assert.Single(headers["X-Set"]));
        Assert.False(headers.ContainsKey("X-Gone"));
        Assert.Equal("k", headers["X-Kept"].ToString());
    }

    [Fact]
    public void Requests_and_responses_get_the_rule_edits_then_the_backend_edits()
    {
        var route = new RoutePlan("r", new ResourceKey(ResourceKinds.Route, "default", "r"), null, new RouteOrder(null, 0, 0), [], [], new ForwardAction([]))
        {
            RequestHeaders = Edits(add: ["X-Trail:rule"]),
            ResponseHeaders = Edits(add: ["X-Trail:rule"]),
        };
        var backend = new BackendPlan("c", 1, Edits(add: ["X-Trail:backend"]), Edits(add: ["X-Trail:backend"]));
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Trail"] = "client";
        context.Response.Headers["X-Trail"] = "upstream";

        HeaderEdits.ApplyToRequest(context.Request, route, backend);
        HeaderEdits.ApplyToResponse(context.Response, route, backend);

        Assert.Equal("client,rule,backend", context.Request.Headers["X-Trail"].ToString());
        Assert.Equal("upstream,rule,backend", context.Response.Headers["X-Trail"].ToString());
    }
}
