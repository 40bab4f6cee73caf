using System.Text.Json.Nodes;
using static Higress.Core.Tests.Plugins.Transformer.TransformerTestKit;

namespace Higress.Core.Tests.Plugins.Transformer;

/// <summary>The operations over request headers, query parameters and bodies, with the configs of Higress's README.</summary>
public class TransformerPluginTests
{
    // Higress README_EN's example, verbatim in docs/plugins/transformer.md.
    internal static readonly string ReadmeHeaders = TransformerDocExamples.Get("headers");

    // Higress README_EN's example, verbatim in docs/plugins/transformer.md.
    internal static readonly string ReadmeQuerys = TransformerDocExamples.Get("querys");

    // Higress README_EN's example, verbatim in docs/plugins/transformer.md.
    internal static readonly string ReadmeBody = TransformerDocExamples.Get("body");

    [Fact]
    public async Task Readme_header_example_gives_the_documented_headers()
    {
        var http = Request("foo.bar.com", "/get", headers:
        [
            ("X-remove", "exist"), ("X-not-renamed", "test"), ("X-replace", "not-replaced"),
            ("X-dedupe-first", "1"), ("X-dedupe-first", "2"), ("X-dedupe-first", "3"),
            ("X-dedupe-last", "a"), ("X-dedupe-last", "b"), ("X-dedupe-last", "c"),
            ("X-dedupe-unique", "1"), ("X-dedupe-unique", "2"), ("X-dedupe-unique", "3"),
            ("X-dedupe-unique", "3"), ("X-dedupe-unique", "2"), ("X-dedupe-unique", "1"),
        ]);
        await RunRequestAsync(ReadmeHeaders, http);

        var headers = http.Request.Headers;
        Assert.False(headers.ContainsKey("X-remove"));
        Assert.False(headers.ContainsKey("X-not-renamed"));
        Assert.Equal("test", headers["X-renamed"]);
        Assert.Equal("replaced", headers["X-replace"]);
        Assert.Equal("host-foo.bar,path-get", headers["X-add-append"].ToString());
        Assert.Equal("host-foo.bar,path-get", headers["X-map"].ToString());
        Assert.Equal("1", headers["X-dedupe-first"]);
        Assert.Equal("c", headers["X-dedupe-last"]);
        Assert.Equal("1,2,3", headers["X-dedupe-unique"].ToString());
    }

    [Fact]
    public async Task Readme_query_example_rebuilds_the_documented_query_string()
    {
        var http = Request("foo.bar.com", "/get?k1=v11&k1=v12&k2=v2");
        await RunRequestAsync(ReadmeQuerys, http);
        Assert.Equal("?k2-new=v2-new&k3=v31-get&k3=v32&k4=v31-get", http.Request.QueryString.Value);
    }

    [Fact]
    public async Task Readme_body_example_transforms_a_JSON_body_and_sets_its_length()
    {
        var http = Request("foo.bar.com", "/post", "application/json", """{"a1":"t1","a2":"t2","a3":"t3"}""");
        await RunRequestAsync(ReadmeBody, http);

        var json = JsonNode.Parse(BodyText(http.Request))!.AsObject();
        Assert.False(json.ContainsKey("a1"));
        Assert.Equal("t2", (string?)json["a2-new"]);
        Assert.Equal("t3-new", (string?)json["a3"]);
        Assert.Equal("""["t1-new","t1-foo.bar-append"]""", json["a1-new"]!.ToJsonString());
        Assert.Equal("t1-new", (string?)json["a4"]);
    }

    [Fact]
    public async Task Readme_body_example_transforms_an_urlencoded_form()
    {
        var http = Request("foo.bar.com", "/post", "application/x-www-form-urlencoded", "a1=t1&a2=t2&a3=t3");
        await RunRequestAsync(ReadmeBody, http);
        Assert.Equal("a1-new=t1-new&a1-new=t1-foo.bar-append&a2-new=t2&a3=t3-new&a4=t1-new", BodyText(http.Request));
    }

    [Fact]
    public async Task Body_rules_leave_other_content_types_and_invalid_JSON_alone()
    {
        var text = Request("foo.bar.com", "/post", "text/plain", """{"a1":"t1"}""");
        await RunRequestAsync(ReadmeBody, text);
        Assert.Equal("""{"a1":"t1"}""", BodyText(text.Request));

        var broken = Request("foo.bar.com", "/post", "application/json", """{"a1":""");
        await RunRequestAsync(ReadmeBody, broken);
        Assert.Equal("""{"a1":""", BodyText(broken.Request));
    }

    [Theory]
    [InlineData("""{"userId":12, "userName":"johnlanni"}""", "application/json")]
    [InlineData("userId=12&userName=johnlanni", "application/x-www-form-urlencoded")]
    public async Task Readme_map_from_body_sets_a_header_for_routing(string body, string contentType)
    {
        var config = TransformerDocExamples.Get("map");
        var http = Request("foo.bar.com", "/post", contentType, body);
        await RunRequestAsync(config, http);
        Assert.Equal("12", http.Request.Headers["x-user-id"]);
        Assert.Equal(body, BodyText(http.Request));
    }

    [Fact]
    public async Task Readme_gjson_paths_read_nested_fields_and_array_elements()
    {
        const string config = """
            reqRules:
            - operate: map
              headers:
              - fromKey: friends.1.first
                toKey: x-first-name
              - fromKey: friends.1.last
                toKey: x-last-name
              mapSource: body
            """;
        const string body = """{"name":{"first":"Tom","last":"Anderson"},"age":37,"friends":[{"first":"Dale","last":"Murphy"},{"first":"Roger","last":"Craig"}]}""";
        var http = Request("h", "/", "application/json", body);
        await RunRequestAsync(config, http);
        Assert.Equal("Roger", http.Request.Headers["x-first-name"]);
        Assert.Equal("Craig", http.Request.Headers["x-last-name"]);
    }

    [Theory]
    [InlineData("- operate: remove\n  body:\n  - key: users.0", """{"users":[{"456":{"name":"lisi"}}]}""")]
    [InlineData("- operate: rename\n  body:\n  - oldKey: users.0.123\n    newKey: users.0.msg", """{"users":[{"msg":{"name":"zhangsan"}},{"456":{"name":"lisi"}}]}""")]
    [InlineData("- operate: add\n  body:\n  - key: foo.bar\n    value: value", """{"users":[{"123":{"name":"zhangsan"}},{"456":{"name":"lisi"}}],"foo":{"bar":"value"}}""")]
    [InlineData("- operate: add\n  body:\n  - key: foo\\.bar\n    value: value", """{"users":[{"123":{"name":"zhangsan"}},{"456":{"name":"lisi"}}],"foo.bar":"value"}""")]
    public async Task Readme_key_nesting_and_array_index_examples(string rules, string expected)
    {
        var http = Request("h", "/post", "application/json", """{"users":[{"123":{"name":"zhangsan"}},{"456":{"name":"lisi"}}]}""");
        await RunRequestAsync("reqRules:\n" + rules, http);
        Assert.Equal(expected, BodyText(http.Request));
    }

    [Fact]
    public async Task Readme_array_iteration_replaces_every_element()
    {
        const string config = """
            reqRules:
            - operate: replace
              body:
              - key: users.#.age
                newValue: 20
            """;
        var http = Request("h", "/post", "application/json", """{"users":[{"name":"zhangsan","age":18},{"name":"lisi","age":19}]}""");
        await RunRequestAsync(config, http);
        Assert.Equal("""{"users":[{"name":"zhangsan","age":"20"},{"name":"lisi","age":"20"}]}""", BodyText(http.Request));
    }

    [Theory]
    [InlineData("number", "20", """{"v":20}""")]
    [InlineData("boolean", "true", """{"v":true}""")]
    [InlineData("object", "{\"a\": [1]}", """{"v":{"a":[1]}}""")]
    [InlineData("string", "20", """{"v":"20"}""")]
    public async Task Value_type_sets_the_JSON_type_of_a_value(string valueType, string value, string expected)
    {
        var config = $"reqRules:\n- operate: add\n  body:\n  - key: v\n    value: '{value}'\n    value_type: {valueType}";
        var http = Request("h", "/post", "application/json", "{}");
        await RunRequestAsync(config, http);
        Assert.Equal(expected, BodyText(http.Request));
    }

    [Fact]
    public async Task Append_makes_an_array_and_dedupe_strategies_reduce_one()
    {
        const string config = """
            reqRules:
            - operate: append
              body:
              - key: one
                appendValue: b
              - key: many
                appendValue: c
              - key: none
                appendValue: x
            - operate: dedupe
              body:
              - key: u
                strategy: RETAIN_UNIQUE
              - key: last
                strategy: retain_last
              - key: split
                strategy: SPLIT_AND_RETAIN_LAST
            """;
        var http = Request("h", "/post", "application/json", """{"one":"a","many":["a","b"],"u":[1,2,2,1],"last":[1,2,3],"split":["x,y,z"]}""");
        await RunRequestAsync(config, http);
        Assert.Equal("""{"one":["a","b"],"many":["a","b","c"],"u":[1,2],"last":3,"split":"z","none":"x"}""", BodyText(http.Request));
    }

    [Fact]
    public async Task Map_across_sources_copies_headers_and_query_parameters()
    {
        const string config = """
            reqRules:
            - operate: map
              mapSource: headers
              querys:
              - fromKey: X-Tenant
                toKey: tenant
            - operate: map
              mapSource: querys
              headers:
              - fromKey: page
                toKey: x-page
            - operate: map
              mapSource: headers
              body:
              - fromKey: x-tenant
                toKey: meta.tenant
            - operate: dedupe
              headers:
              - key: x-list
                strategy: SPLIT_AND_RETAIN_FIRST
            """;
        var http = Request("h", "/p?page=2", "application/json", "{}", ("X-Tenant", "acme"), ("x-list", "a,b,c"));
        await RunRequestAsync(config, http);
        Assert.Equal("?page=2&tenant=acme", http.Request.QueryString.Value);
        Assert.Equal("2", http.Request.Headers["x-page"]);
        Assert.Equal("a", http.Request.Headers["x-list"]);

        // sjson writes the header's values (a Go []string) as an array.
        Assert.Equal("""{"meta":{"tenant":["acme"]}}""", BodyText(http.Request));
    }

    [Fact]
    public async Task Rules_run_in_the_order_written()
    {
        const string config = """
            reqRules:
            - operate: add
              headers:
              - key: x-a
                value: added
            - operate: remove
              headers:
              - key: x-a
            """;
        var http = Request("h", "/");
        await RunRequestAsync(config, http);
        Assert.False(http.Request.Headers.ContainsKey("x-a"));
    }

    [Fact]
    public async Task A_pattern_that_does_not_match_keeps_the_value_as_written()
    {
        const string config = """
            reqRules:
            - operate: replace
              headers:
              - key: x-host
                newValue: host-$1
                host_pattern: ^(.*)\.org$
            """;
        var http = Request("foo.bar.com", "/");
        await RunRequestAsync(config, http);
        Assert.Equal("host-$1", http.Request.Headers["x-host"]);
    }
}
