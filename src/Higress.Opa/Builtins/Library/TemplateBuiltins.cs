using System.Globalization;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// strings.render_template: a subset of Go's text/template: {{.a.b}}, $variables, {{if}}/{{else}}/{{else if}}/{{end}},
/// {{range [$i, $v :=] x}}, {{with}}, comments, trim markers {{- -}}, pipelines with | and the functions
/// eq ne lt le gt ge and or not len index print printf. Missing keys render as "&lt;undefined&gt;" (as OPA).
/// </summary>
internal static class TemplateBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("strings.render_template", (t, v, ctx) =>
        {
            string template = Operand.AsString(t, 1);
            var vars = Operand.AsObject(v, 2);
            var (nodes, _) = ParseNodes(Lex(template), 0);
            var sb = new StringBuilder();
            var scope = new List<(string Name, RegoValue? Value)> { ("$", vars) };
            Exec(nodes, vars, scope, sb, ctx);
            return RegoString.Create(sb.ToString());
        });
    }

    private abstract record Node;

    private sealed record TextNode(string Text) : Node;

    private sealed record ActionNode(string Pipe) : Node;

    private sealed record BlockNode(string Kind, string Pipe, List<Node> Body, List<Node>? Else) : Node;

    private static List<(bool Action, string Text)> Lex(string s)
    {
        var list = new List<(bool, string)>();
        int i = 0;
        while (i < s.Length)
        {
            int open = s.IndexOf("{{", i, StringComparison.Ordinal);
            if (open < 0)
            {
                list.Add((false, s[i..]));
                break;
            }
            string text = s[i..open];
            int close = s.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw BuiltinException.Error("template: unclosed action");
            }
            string inner = s[(open + 2)..close];
            if (inner.StartsWith("- ", StringComparison.Ordinal))
            {
                text = text.TrimEnd();
                inner = inner[2..];
            }
            list.Add((false, text));
            i = close + 2;
            if (inner.EndsWith(" -", StringComparison.Ordinal))
            {
                inner = inner[..^2];
                while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            }
            inner = inner.Trim();
            if (!(inner.StartsWith("/*", StringComparison.Ordinal) && inner.EndsWith("*/", StringComparison.Ordinal)))
            {
                list.Add((true, inner));
            }
        }
        return list;
    }

    private static (List<Node> Nodes, int Next) ParseNodes(List<(bool Action, string Text)> toks, int i)
    {
        var nodes = new List<Node>();
        while (i < toks.Count)
        {
            var (action, text) = toks[i];
            if (!action)
            {
                if (text.Length > 0) nodes.Add(new TextNode(text));
                i++;
                continue;
            }
            string kw = text.Split(' ', 2)[0];
            if (kw is "end" or "else")
            {
                return (nodes, i);
            }
            if (kw is "if" or "range" or "with")
            {
                var block = ParseBlock(toks, i, kw, text[kw.Length..].Trim(), out i);
                nodes.Add(block);
                continue;
            }
            nodes.Add(new ActionNode(text));
            i++;
        }
        return (nodes, i);
    }

    private static BlockNode ParseBlock(List<(bool Action, string Text)> toks, int i, string kind, string pipe, out int next)
    {
        var (body, j) = ParseNodes(toks, i + 1);
        if (j >= toks.Count)
        {
            throw BuiltinException.Error($"template: unexpected EOF in {kind}");
        }
        List<Node>? elseNodes = null;
        string t = toks[j].Text;
        if (t.StartsWith("else", StringComparison.Ordinal))
        {
            string rest = t[4..].Trim();
            if (rest.StartsWith("if ", StringComparison.Ordinal))
            {
                // {{else if x}} ... shares the enclosing {{end}}
                var nested = ParseBlock(toks, j, "if", rest[3..].Trim(), out next);
                return new BlockNode(kind, pipe, body, [nested]);
            }
            (elseNodes, j) = ParseNodes(toks, j + 1);
            if (j >= toks.Count || toks[j].Text != "end")
            {
                throw BuiltinException.Error($"template: expected end in {kind}");
            }
        }
        next = j + 1;
        return new BlockNode(kind, pipe, body, elseNodes);
    }

    private static void Exec(List<Node> nodes, RegoValue? dot, List<(string Name, RegoValue? Value)> vars, StringBuilder sb, BuiltinContext ctx)
    {
        foreach (var n in nodes)
        {
            switch (n)
            {
                case TextNode t:
                    sb.Append(t.Text);
                    break;
                case ActionNode a:
                    var v = Pipeline(a.Pipe, dot, vars, declare: true);
                    if (!IsDeclaration(a.Pipe))
                    {
                        sb.Append(Print(v));
                    }
                    break;
                case BlockNode b:
                    ExecBlock(b, dot, vars, sb, ctx);
                    break;
            }
        }
    }

    private static void ExecBlock(BlockNode b, RegoValue? dot, List<(string Name, RegoValue? Value)> vars, StringBuilder sb, BuiltinContext ctx)
    {
        int mark = vars.Count;
        if (b.Kind == "range")
        {
            string pipe = b.Pipe;
            string? kVar = null, vVar = null;
            int decl = pipe.IndexOf(":=", StringComparison.Ordinal);
            if (decl >= 0)
            {
                var names = pipe[..decl].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                (kVar, vVar) = names.Length == 2 ? (names[0], names[1]) : (null, names[0]);
                pipe = pipe[(decl + 2)..].Trim();
            }
            var coll = Pipeline(pipe, dot, vars, declare: false);
            var items = coll switch
            {
                RegoArray arr => arr.Select((x, i) => ((RegoValue)RegoNumber.FromInt64(i), x)).ToList(),
                RegoSet set => set.Select((x, i) => ((RegoValue)RegoNumber.FromInt64(i), x)).ToList(),
                RegoObject o => o.Select(kv => (kv.Key, kv.Value)).ToList(),
                _ => [],
            };
            if (items.Count == 0)
            {
                if (b.Else is not null) Exec(b.Else, dot, vars, sb, ctx);
                return;
            }
            foreach (var (k, v) in items)
            {
                ctx.CheckLimits();
                if (kVar is not null) vars.Add((kVar, k));
                if (vVar is not null) vars.Add((vVar, v));
                Exec(b.Body, v, vars, sb, ctx);
                vars.RemoveRange(mark, vars.Count - mark);
            }
            return;
        }
        var val = Pipeline(b.Pipe, dot, vars, declare: true);
        if (Truthy(val))
        {
            Exec(b.Body, b.Kind == "with" ? val : dot, vars, sb, ctx);
        }
        else if (b.Else is not null)
        {
            Exec(b.Else, dot, vars, sb, ctx);
        }
        vars.RemoveRange(mark, vars.Count - mark);
    }

    private static bool IsDeclaration(string pipe) => pipe.StartsWith('$') && pipe.Contains(":=", StringComparison.Ordinal);

    private static bool Truthy(RegoValue? v) => v switch
    {
        null or RegoNull => false,
        RegoBoolean b => b.Value,
        RegoNumber n => n.Sign != 0,
        RegoString s => s.Value.Length > 0,
        RegoArray a => a.Count > 0,
        RegoObject o => o.Count > 0,
        RegoSet s => s.Count > 0,
        _ => true,
    };

    private static string Print(RegoValue? v) => v switch
    {
        null => "<undefined>",
        RegoNull => "<nil>",
        RegoString s => s.Value,
        RegoNumber n => n.ToText(),
        RegoBoolean b => b.Value ? "true" : "false",
        RegoArray a => "[" + string.Join(" ", a.Select(Print)) + "]",
        RegoSet s => "[" + string.Join(" ", s.Select(Print)) + "]",
        RegoObject o => "map[" + string.Join(" ", o.Select(kv => Print(kv.Key) + ":" + Print(kv.Value))) + "]",
        _ => v.ToString(),
    };

    private static RegoValue? Pipeline(string pipe, RegoValue? dot, List<(string Name, RegoValue? Value)> vars, bool declare)
    {
        string? declVar = null;
        if (declare && IsDeclaration(pipe))
        {
            int d = pipe.IndexOf(":=", StringComparison.Ordinal);
            declVar = pipe[..d].Trim();
            pipe = pipe[(d + 2)..].Trim();
        }
        RegoValue? result = null;
        bool first = true;
        foreach (var cmd in SplitTop(pipe, '|'))
        {
            var args = Tokens(cmd.Trim());
            if (args.Count == 0)
            {
                throw BuiltinException.Error("template: empty command");
            }
            bool isFunc = args[0].Length > 0 && char.IsAsciiLetter(args[0][0]) && args[0] is not ("true" or "false" or "nil");
            if (isFunc)
            {
                var values = args.Skip(1).Select(a => EvalOperand(a, dot, vars)).ToList();
                if (!first) values.Add(result);
                result = Call(args[0], values);
            }
            else
            {
                if (args.Count > 1 || !first)
                {
                    throw BuiltinException.Error($"template: can't give argument to non-function {args[0]}");
                }
                result = EvalOperand(args[0], dot, vars);
            }
            first = false;
        }
        if (declVar is not null)
        {
            vars.Add((declVar, result));
        }
        return result;
    }

    private static List<string> SplitTop(string s, char sep)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        char quote = '\0';
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (c is '"' or '`') quote = c;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == sep && depth == 0)
            {
                parts.Add(s[start..i]);
                start = i + 1;
            }
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static List<string> Tokens(string s)
    {
        var list = new List<string>();
        foreach (var part in SplitTop(s, ' '))
        {
            if (part.Trim().Length > 0) list.Add(part.Trim());
        }
        return list;
    }

    private static RegoValue? EvalOperand(string a, RegoValue? dot, List<(string Name, RegoValue? Value)> vars)
    {
        if (a.StartsWith('(') && a.EndsWith(')'))
        {
            return Pipeline(a[1..^1], dot, vars, declare: false);
        }
        if (a.StartsWith('"'))
        {
            return JsonBuiltins.Unmarshal(a);
        }
        if (a.StartsWith('`'))
        {
            return RegoString.Create(a.Trim('`'));
        }
        if (a is "true" or "false") return RegoValue.Boolean(a == "true");
        if (a == "nil") return RegoNull.Instance;
        if (RegoNumber.TryParse(a) is { } num) return num;
        RegoValue? cur;
        string path;
        if (a.StartsWith('$'))
        {
            int dotIdx = a.IndexOf('.', StringComparison.Ordinal);
            string name = dotIdx < 0 ? a : a[..dotIdx];
            var found = vars.FindLast(v => v.Name == name);
            if (found.Name is null)
            {
                throw BuiltinException.Error($"template: undefined variable \"{name}\"");
            }
            cur = found.Value;
            path = dotIdx < 0 ? "" : a[dotIdx..];
        }
        else if (a.StartsWith('.'))
        {
            cur = dot;
            path = a;
        }
        else
        {
            throw BuiltinException.Error($"template: unexpected \"{a}\" in operand");
        }
        foreach (var field in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            cur = cur is RegoObject o ? o.Get(field) : null;
        }
        return cur;
    }

    private static RegoValue? Call(string name, List<RegoValue?> args)
    {
        RegoValue? Arg(int i) => i < args.Count ? args[i] : throw BuiltinException.Error($"template: wrong number of args for {name}");
        int Cmp() => RegoValue.Compare(Arg(0) ?? RegoNull.Instance, Arg(1) ?? RegoNull.Instance);
        return name switch
        {
            "eq" => RegoValue.Boolean(args.Skip(1).Any(x => Equals(x, Arg(0)))),
            "ne" => RegoValue.Boolean(!Equals(Arg(0), Arg(1))),
            "lt" => RegoValue.Boolean(Cmp() < 0),
            "le" => RegoValue.Boolean(Cmp() <= 0),
            "gt" => RegoValue.Boolean(Cmp() > 0),
            "ge" => RegoValue.Boolean(Cmp() >= 0),
            "not" => RegoValue.Boolean(!Truthy(Arg(0))),
            "and" => args.FirstOrDefault(x => !Truthy(x)) ?? args.LastOrDefault(),
            "or" => args.FirstOrDefault(Truthy) ?? args.LastOrDefault(),
            "len" => RegoNumber.FromInt64(Arg(0) switch
            {
                RegoString s => Encoding.UTF8.GetByteCount(s.Value),
                RegoArray a => a.Count,
                RegoObject o => o.Count,
                RegoSet s => s.Count,
                _ => throw BuiltinException.Error("template: len of unsupported type"),
            }),
            "index" => args.Skip(1).Aggregate(Arg(0), (cur, k) => cur switch
            {
                RegoObject o when k is not null => o.Get(k),
                RegoArray a when k is RegoNumber n && n.TryGetInt32(out int i) && i >= 0 && i < a.Count => a[i],
                _ => null,
            }),
            "print" => RegoString.Create(string.Concat(args.Select(Print))),
            "println" => RegoString.Create(string.Join(" ", args.Select(Print)) + "\n"),
            "printf" => RegoString.Create(SprintfBuiltins.Format(Print(Arg(0)), [.. args.Skip(1).Select(x => x switch
            {
                RegoNumber n when n.IsInteger && n.TryGetBigInteger(out var bi) => (object)bi,
                RegoNumber n => n.ToDouble(),
                _ => Print(x),
            })])),
            _ => throw BuiltinException.Error($"template: function \"{name}\" not defined"),
        };
    }
}
