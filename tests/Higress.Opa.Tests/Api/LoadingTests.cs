using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Api;

public sealed class LoadingTests
{
    private static void AddEntry(TarWriter w, string name, string text)
    {
        var e = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
        w.WriteEntry(e);
    }

    private static MemoryStream BuildBundle()
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
        {
            AddEntry(tar, "/.manifest", """{"revision": "r42", "roots": ["envoy", "role_permissions", "blocked_users"]}""");
            AddEntry(tar, "/envoy/authz/policy.rego", TestPolicies.EnvoyRbac);
            AddEntry(tar, "/data.json", """{"role_permissions": {"reader": [{"method": "GET", "path": "/api/books", "prefix": true}]}}""");
            AddEntry(tar, "/blocked_users/data.yaml", "- mallory\n- trudy\n");
            AddEntry(tar, "/envoy/authz/settings/data.yml", "strict: true\nlimit: 10\n");
        }
        ms.Position = 0;
        return ms;
    }

    [Fact]
    public void Bundle_LoadsModulesDataYamlAndManifest()
    {
        using var bundle = BuildBundle();
        var compiler = new PolicyCompiler().WithBuiltins(TestPolicies.Builtins()).LoadBundle(bundle);
        var policy = compiler.Compile();
        Assert.Equal("r42", ((RegoObject)compiler.Manifest!).Get("revision")!.ToObject());
        Assert.Equal("[\"mallory\", \"trudy\"]", policy.PrepareQuery("data.blocked_users").Evaluate((object?)null).Value!.ToString());
        Assert.Equal(10L, policy.PrepareQuery("data.envoy.authz.settings.limit").Evaluate((object?)null).Value!.ToObject());
        var allow = policy.PrepareQuery("data.envoy.authz.allow");
        Assert.True(allow.Evaluate(TestPolicies.Request("GET", "/api/books/1", TestPolicies.Jwt("alice", "reader"))).IsTrue);
        Assert.False(allow.Evaluate(TestPolicies.Request("GET", "/api/books/1", TestPolicies.Jwt("trudy", "reader"))).IsTrue);
    }

    [Fact]
    public void Directory_LoadsRegoJsonAndYaml()
    {
        string dir = Path.Combine(Path.GetTempPath(), "higress-opa-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "envoy", "authz"));
            Directory.CreateDirectory(Path.Combine(dir, "blocked_users"));
            File.WriteAllText(Path.Combine(dir, "envoy", "authz", "policy.rego"), TestPolicies.EnvoyRbac);
            File.WriteAllText(Path.Combine(dir, "data.json"), TestPolicies.RbacData.Replace("\"blocked_users\": [\"mallory\"]", "\"other\": 1", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(dir, "blocked_users", "data.yaml"), "- mallory\n");
            var policy = new PolicyCompiler().WithBuiltins(TestPolicies.Builtins()).LoadDirectory(dir).Compile();
            var allow = policy.PrepareQuery("data.envoy.authz.allow");
            Assert.True(allow.Evaluate(TestPolicies.Request("POST", "/api/books", TestPolicies.Jwt("bob", "writer"))).IsTrue);
            Assert.False(allow.Evaluate(TestPolicies.Request("POST", "/api/books", TestPolicies.Jwt("mallory", "writer"))).IsTrue);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ConflictingData_IsALoadError()
    {
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler().AddDataJson("""{"a": 1}""").AddDataJson("""{"a": 2}"""));
        Assert.Equal(RegoErrorCodes.LoadError, e.Code);
    }
}
