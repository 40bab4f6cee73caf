using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;
using static Higress.Core.Tests.Plugins.Transformer.TransformerTestKit;

namespace Higress.Core.Tests.Plugins.Transformer;

/// <summary>Config checks: every problem named by its field path with a fix, and Higress's configs accepted unchanged.</summary>
public class TransformerConfigTests
{
    private static string[] ErrorPaths(string yaml) => [.. Parse(yaml).Context.Errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal)];

    [Theory]
    [InlineData("headers")]
    [InlineData("querys")]
    [InlineData("body")]
    [InlineData("map")]
    [InlineData("resp")]
    [InlineData("reroute: false\nreqRules:\n  - operate: replace\n    headers:\n      - key: reroute\n        newValue: true")]
    [InlineData("respRules:\n- operate: add\n  body:\n  - key: foo\\.bar\n    value: value")]
    public void Readme_configs_load_without_errors_or_warnings(string exampleOrYaml)
    {
        var yaml = exampleOrYaml.Contains(':', StringComparison.Ordinal) ? exampleOrYaml : TransformerDocExamples.Get(exampleOrYaml);
        var (config, context) = Parse(yaml);
        Assert.Empty(context.Errors);
        Assert.Empty(context.Warnings);
        Assert.False(config.ReqRules.IsEmpty && config.RespRules.IsEmpty);
    }

    [Fact]
    public void Reports_an_unknown_operation_strategy_value_type_and_map_source()
    {
        const string yaml = """
            reqRules:
            - operate: delete
              headers:
              - key: a
            - operate: dedupe
              headers:
              - key: a
                strategy: KEEP_ALL
            - operate: add
              body:
              - key: n
                value: x
                value_type: integer
            - operate: map
              mapSource: cookies
              headers:
              - fromKey: a
                toKey: b
            """;
        var errors = Parse(yaml).Context.Errors;
        Assert.Equal(["reqRules[0].operate", "reqRules[1].headers[0].strategy", "reqRules[2].body[0].value_type", "reqRules[3].mapSource"], errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal));
        Assert.Contains("remove, rename, replace, add, append, map, dedupe", errors.Single(e => e.FieldPath == "reqRules[0].operate").Fix, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.Fix)));
    }

    [Fact]
    public void Reports_missing_keys_and_fields_the_operation_does_not_read()
    {
        const string yaml = """
            reqRules:
            - operate: rename
              headers:
              - oldKey: a
            - operate: replace
              querys:
              - key: k
                value: v
            - operate: remove
              headers:
              - key: ""
            """;
        Assert.Equal(["reqRules[0].headers[0].newKey", "reqRules[1].querys[0].newValue", "reqRules[1].querys[0].value", "reqRules[2].headers[0].key"], ErrorPaths(yaml));
    }

    [Fact]
    public void Reports_bad_patterns_paths_and_values()
    {
        const string yaml = """
            reqRules:
            - operate: add
              headers:
              - key: x
                value: $1
                path_pattern: "([a-z"
            - operate: remove
              headers:
              - key: x
                host_pattern: ^a$
            - operate: add
              body:
              - key: a.*.b
                value: "1"
              - key: n
                value: many
                value_type: number
            """;
        var errors = Parse(yaml).Context.Errors;
        Assert.Equal(["reqRules[0].headers[0].path_pattern", "reqRules[1].headers[0].host_pattern", "reqRules[2].body[0].key", "reqRules[2].body[1].value"], errors.Select(e => e.FieldPath).Order(StringComparer.Ordinal));
        Assert.Contains("not a valid regular expression", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_unknown_fields_wrong_types_query_rules_on_responses_and_an_empty_config()
    {
        Assert.Equal(["reqRules[0].headers[0].newvalue"], ErrorPaths("reqRules:\n- operate: replace\n  headers:\n  - key: a\n    newValue: b\n    newvalue: c"));
        Assert.Equal(["reqRules"], ErrorPaths("reqRules: yes-please"));
        Assert.Equal(["respRules[0].querys"], ErrorPaths("respRules:\n- operate: remove\n  querys:\n  - key: a"));
        Assert.Equal(["reqRules"], ErrorPaths("reroute: true"));
        Assert.Equal(["req_rules"], ErrorPaths("req_rules: []\nrespRules:\n- operate: remove\n  headers:\n  - key: a"));
    }

    [Fact]
    public void The_translator_names_the_Extension_and_field_and_the_rule_fails_closed()
    {
        const string yaml = """
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: orders, namespace: shop}
            spec:
              http:
              - name: api
                route:
                - destination: {host: orders, port: 80}
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Extension
            metadata: {name: rewrite, namespace: shop}
            spec:
              plugin: transformer
              config:
                reqRules:
                - operate: upsert
                  headers:
                  - key: x-a
                    value: b
            """;
        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("test", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);

        var error = Assert.Single(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.ToString().StartsWith("Extension", StringComparison.Ordinal));
        Assert.StartsWith("Extension shop/rewrite: spec.config.reqRules[0].operate: 'upsert' is not an operation", error.ToString(), StringComparison.Ordinal);

        // The binding is kept without a config: the chain answers 500 instead of forwarding untransformed.
        var binding = Assert.Single(result.Plan.Routes.Single().Plugins);
        Assert.Equal("transformer", binding.Name);
        Assert.Null(binding.Config);
    }

    [Fact]
    public void An_explicit_reroute_true_is_reported_as_not_enforced_and_false_or_absent_is_quiet()
    {
        const string Rules = "reqRules:\n- operate: add\n  headers:\n  - key: x-a\n    value: b";
        var warning = Assert.Single(Parse("reroute: true\n" + Rules).Context.Warnings);
        Assert.Equal("reroute", warning.FieldPath);
        Assert.Contains("not enforced", warning.Message, StringComparison.Ordinal);
        Assert.Empty(Parse("reroute: false\n" + Rules).Context.Warnings);
        Assert.Empty(Parse(Rules).Context.Warnings);
    }
}
