using System.Text.Json;
using Higress.Opa.Builtins;
using Higress.Opa.Compilation;
using Higress.Opa.Loading;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa;

/// <summary>
/// Collects Rego modules and data, then compiles them once into a <see cref="CompiledPolicy"/>.
/// <code>
/// var policy = new PolicyCompiler().AddModule("authz.rego", text).AddDataJson(json).Compile();
/// var query = policy.PrepareQuery("data.envoy.authz.allow");
/// var result = query.Evaluate(input);
/// </code>
/// </summary>
public sealed class PolicyCompiler
{
    private readonly List<(string Path, string Text)> _modules = [];
    private RegoObject _data = RegoObject.Empty;
    private BuiltinRegistry _builtins = BuiltinRegistry.Default;
    private bool _checkRecursion = true;

    /// <summary>The bundle manifest, when one was loaded.</summary>
    public RegoValue? Manifest { get; private set; }

    /// <summary>Adds a Rego module (source text); <paramref name="path"/> is used in error locations.</summary>
    public PolicyCompiler AddModule(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(text);
        _modules.Add((path, text));
        return this;
    }

    /// <summary>Merges a data document (an object) at the root of <c>data</c>.</summary>
    public PolicyCompiler AddData(RegoValue data) => AddData([], data);

    /// <summary>Merges a data document at a path under <c>data</c> (e.g. ["roles"]).</summary>
    public PolicyCompiler AddData(IReadOnlyList<string> path, RegoValue data)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(data);
        _data = DataMerge.MergeAt(_data, path, data);
        return this;
    }

    /// <summary>Merges a plain .NET value or <see cref="JsonElement"/> at the root of <c>data</c>.</summary>
    public PolicyCompiler AddData(object data) => AddData(RegoConvert.FromObject(data));

    /// <summary>Merges a JSON document at the root of <c>data</c>.</summary>
    public PolicyCompiler AddDataJson(string json) => AddData(RegoConvert.ParseJson(json));

    /// <summary>Merges a YAML document at the root of <c>data</c>.</summary>
    public PolicyCompiler AddDataYaml(string yaml) => AddData(YamlConverter.Parse(yaml));

    /// <summary>Loads every <c>.rego</c> file and every <c>data.json</c>/<c>data.yaml</c> of a directory tree (data is placed at the directory's path).</summary>
    public PolicyCompiler LoadDirectory(string directory)
    {
        BundleReader.ReadDirectory(directory, this);
        return this;
    }

    /// <summary>Loads an OPA bundle (<c>.tar.gz</c> with optional <c>.manifest</c>, <c>.rego</c> files and <c>data.json</c>/<c>data.yaml</c> files).</summary>
    public PolicyCompiler LoadBundle(Stream bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        BundleReader.ReadBundle(bundle, this);
        return this;
    }

    /// <summary>Uses a custom built-in registry (default: <see cref="BuiltinRegistry.Default"/>).</summary>
    public PolicyCompiler WithBuiltins(BuiltinRegistry registry)
    {
        _builtins = registry ?? throw new ArgumentNullException(nameof(registry));
        return this;
    }

    internal PolicyCompiler WithoutRecursionCheck()
    {
        _checkRecursion = false;
        return this;
    }

    internal void SetManifest(RegoValue manifest) => Manifest = manifest;

    /// <summary>Parses and compiles everything added. Throws <see cref="RegoException"/> on parse or compile errors.</summary>
    public CompiledPolicy Compile()
    {
        var asts = new List<ModuleAst>(_modules.Count);
        foreach (var (path, text) in _modules)
        {
            asts.Add(new Parser(path, text).ParseModule());
        }
        var compiler = new Compiler(_builtins) { CheckRecursion = _checkRecursion };
        compiler.Compile(asts, _data);
        return new CompiledPolicy(compiler, _builtins, _data);
    }

    /// <summary>Parses a module without compiling it; throws <see cref="RegoException"/> (rego_parse_error) with file:line:col on syntax errors.</summary>
    public static void Parse(string path, string text) => new Parser(path, text).ParseModule();
}
