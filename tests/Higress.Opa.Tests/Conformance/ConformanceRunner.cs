using System.Text;
using Higress.Opa.Loading;
using Higress.Opa.Values;

namespace Higress.Opa.Tests.Conformance;

/// <summary>Runs OPA's YAML test cases the way OPA's own runner does.</summary>
internal static class ConformanceRunner
{
    internal sealed record CaseOutcome(string Folder, string File, string Note, bool Passed, bool Skipped, string Detail);

    public static string? FindCasesRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Higress.Net.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "opa-cases"));
                return Directory.Exists(shared) ? shared : null;
            }
            var sibling = Path.Combine(dir.FullName, "..", "shared", "opa-cases");
            if (Directory.Exists(sibling) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return Path.GetFullPath(sibling);
            }
            dir = dir.Parent;
        }
        return null;
    }

    public static string? FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Higress.Net.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName;
    }

    public static List<CaseOutcome> RunAll(string root)
    {
        var outcomes = new List<CaseOutcome>();
        foreach (var set in new[] { "v1", "v1-newer" })
        {
            var setDir = Path.Combine(root, set);
            if (!Directory.Exists(setDir)) continue;
            foreach (var folder in Directory.GetDirectories(setDir).Order(StringComparer.Ordinal))
            {
                string folderName = set + "/" + Path.GetFileName(folder);
                foreach (var file in Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    RegoValue doc;
                    try
                    {
                        doc = YamlConverter.Parse(File.ReadAllText(file));
                    }
                    catch (Exception e)
                    {
                        outcomes.Add(new CaseOutcome(folderName, file, "(file)", false, false, "cannot read: " + e.Message));
                        continue;
                    }
                    if (doc is not RegoObject o || o.Get("cases") is not RegoArray cases) continue;
                    foreach (var c in cases)
                    {
                        outcomes.Add(RunCase(folderName, file, (RegoObject)c));
                    }
                }
            }
        }
        return outcomes;
    }

    /// <summary>OPA's runner sorts the arrays inside bindings when sort_bindings is set.</summary>
    private static RegoValue DeepSort(RegoValue v) => v switch
    {
        RegoArray a => RegoArray.Create(a.Select(DeepSort).OrderBy(x => x, Comparer<RegoValue>.Create(RegoValue.Compare))),
        RegoObject o => RegoObject.Create(o.Select(kv => new KeyValuePair<RegoValue, RegoValue>(kv.Key, DeepSort(kv.Value)))),
        _ => v,
    };

    private static string Str(RegoObject c, string key) => c.Get(key) is RegoString s ? s.Value : "";

    private static bool Bool(RegoObject c, string key) => c.Get(key) is RegoBoolean { Value: true };

    /// <summary>OPA's own test harness adds <c>test.sleep</c>; so does this runner.</summary>
    private static readonly Lazy<Builtins.BuiltinRegistry> Registry = new(() =>
    {
        var r = Builtins.BuiltinRegistry.CreateDefault();
        r.Register1("test.sleep", (d, _) =>
        {
            string text = Builtins.Operand.AsString(d, 1);
            int ms = text.EndsWith("ms", StringComparison.Ordinal) ? int.Parse(text[..^2], System.Globalization.CultureInfo.InvariantCulture) : 0;
            Thread.Sleep(ms);
            return RegoNull.Instance;
        }, Builtins.BuiltinFlags.Nondeterministic);
        return r;
    });

    public static CaseOutcome RunCase(string folder, string file, RegoObject c)
    {
        string note = Str(c, "note");
        string? wantCode = c.Get("want_error_code") is RegoString wc ? wc.Value : null;
        string? wantError = c.Get("want_error") is RegoString we ? we.Value : null;
        bool strict = Bool(c, "strict_error");
        try
        {
            var compiler = new PolicyCompiler().WithBuiltins(Registry.Value);
            if (c.Get("modules") is RegoArray mods)
            {
                int i = 0;
                foreach (var m in mods)
                {
                    compiler.AddModule($"test-{i++}.rego", ((RegoString)m).Value);
                }
            }
            if (c.Get("data") is RegoObject data)
            {
                compiler.AddData(data);
            }
            var policy = compiler.Compile();
            RegoValue? input = c.Get("input");
            if (c.Get("input_term") is RegoString it)
            {
                input = new PolicyCompiler().Compile().PrepareQuery(it.Value).Evaluate((RegoValue?)null).Value;
            }
            Dictionary<string, string>? env = null;
            if (c.Get("env") is RegoObject envObj)
            {
                env = envObj.ToDictionary(kv => ((RegoString)kv.Key).Value, kv => kv.Value is RegoString s ? s.Value : kv.Value.ToString());
            }
            var query = policy.PrepareQuery(Str(c, "query"));
            var options = new EvaluationOptions { StrictBuiltinErrors = strict, Environment = env, Timeout = TimeSpan.FromSeconds(10) };
            var result = query.Evaluate(input, options);
            if (wantCode is not null || wantError is not null)
            {
                return new CaseOutcome(folder, file, note, false, false, $"expected error {wantCode} {wantError}, got {result.Count} results");
            }
            if (c.Get("want_defined") is RegoBoolean wd)
            {
                bool ok = result.IsDefined == wd.Value;
                return new CaseOutcome(folder, file, note, ok, false, ok ? "" : $"want_defined {wd.Value}, got {result.Count} results");
            }
            if (c.Get("want_result") is RegoArray want)
            {
                var got = result.Select(r => RegoConvert.ParseJson(RegoConvert.ToJson(r.Bindings))).ToList();
                var exp = want.ToList();
                if (Bool(c, "sort_bindings"))
                {
                    got = got.Select(DeepSort).ToList();
                    exp = exp.Select(DeepSort).ToList();
                    got.Sort(RegoValue.Compare);
                    exp.Sort(RegoValue.Compare);
                }
                bool ok = got.Count == exp.Count && got.Zip(exp).All(p => p.First.Equals(p.Second));
                return new CaseOutcome(folder, file, note, ok, false, ok ? "" : $"want {RegoArray.Create(exp)}\n      got  {RegoArray.Create(got)}");
            }
            bool undefinedOk = result.Count == 0;
            return new CaseOutcome(folder, file, note, undefinedOk, false, undefinedOk ? "" : $"want undefined, got {result.Count} results");
        }
        catch (RegoException e)
        {
            if (wantCode is null && wantError is null)
            {
                return new CaseOutcome(folder, file, note, false, false, "unexpected error: " + e.FullMessage);
            }
            // OPA formats errors as "file:line: code: message"
            string opaStyle = e.Location is null ? $"{e.Code}: {e.Message}" : $"{e.Location.File}:{e.Location.Line}: {e.Code}: {e.Message}";
            bool ok = (wantCode is null || e.Code == wantCode) &&
                      (!strict || wantError is null || e.Message.Contains(wantError, StringComparison.Ordinal) || opaStyle.Contains(wantError, StringComparison.Ordinal));
            return new CaseOutcome(folder, file, note, ok, false, ok ? "" : $"want error {wantCode}: {wantError}\n      got {e.FullMessage}");
        }
        catch (Exception e)
        {
            return new CaseOutcome(folder, file, note, false, false, "crash: " + e.GetType().Name + ": " + e.Message + "\n" + e.StackTrace?.Split('\n').Take(4).Aggregate(new StringBuilder(), (sb, l) => sb.AppendLine(l)));
        }
    }
}
