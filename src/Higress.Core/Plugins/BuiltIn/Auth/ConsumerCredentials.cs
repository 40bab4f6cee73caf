using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>
/// Resolves the consumers of an authentication config, in one place for every plugin: each has a non-empty unique
/// name and exactly one of an inline value or a Secret reference; with <c>uniqueValues</c> no two share a value
/// (Higress refuses duplicate credentials: one key could not name two consumers). Errors never print a credential.
/// </summary>
internal static class ConsumerCredentials
{
    /// <summary>Resolves every consumer, reporting each problem on its field path.</summary>
    /// <typeparam name="T">The consumer record.</typeparam>
    /// <param name="consumers">The configured consumers.</param>
    /// <param name="describe">A consumer's name, inline value and Secret reference.</param>
    /// <param name="valueField">The inline field's name (<c>credential</c>, <c>secret</c>); its reference is <c>&lt;field&gt;_ref</c>.</param>
    /// <param name="uniqueValues">True to refuse two consumers with one value.</param>
    /// <param name="context">Collects errors and reads Secrets.</param>
    /// <returns>The consumers with their values (those with errors left out).</returns>
    public static ConsumerCredential[] Resolve<T>(
        EquatableArray<T> consumers,
        Func<T, (string Name, string? Value, SecretKeyRef? Ref)> describe,
        string valueField,
        bool uniqueValues,
        PluginConfigContext context)
    {
        var resolved = new List<ConsumerCredential>(consumers.Count);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var values = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < consumers.Count; i++)
        {
            var (name, inline, reference) = describe(consumers[i]);
            var path = $"consumers[{i}]";
            if (string.IsNullOrEmpty(name))
            {
                context.AddError($"{path}.name", "is empty", "give every consumer a name (it is sent upstream as X-Mse-Consumer)");
                continue;
            }

            if (!names.TryAdd(name, i))
            {
                context.AddError($"{path}.name", $"'{name}' is also the name of consumers[{names[name]}]", "give every consumer its own name");
            }

            var value = ValueOf(inline, reference, $"{path}.{valueField}", context);
            if (value is null)
            {
                continue;
            }

            if (uniqueValues && !values.TryAdd(value, i))
            {
                context.AddError($"{path}.{valueField}", $"is the same as the {valueField} of consumers[{values[value]}]", $"give every consumer its own {valueField}");
                continue;
            }

            resolved.Add(new ConsumerCredential(name, value, i));
        }

        return [.. resolved];
    }

    private static string? ValueOf(string? inline, SecretKeyRef? reference, string path, PluginConfigContext context)
    {
        if (reference is not null)
        {
            if (inline is not null)
            {
                context.AddError(path, "is set together with " + path + "_ref", "set one of them: the value inline, or a Secret reference");
                return null;
            }

            var value = context.ReadSecret(reference.Name, reference.Key, path + "_ref");
            if (value is { Length: 0 })
            {
                context.AddError(path + "_ref", $"Secret {context.Namespace}/{reference.Name} key '{reference.Key}' is empty", "put the credential in the Secret");
                return null;
            }

            return value;
        }

        if (string.IsNullOrEmpty(inline))
        {
            context.AddError(path, "is missing or empty", $"set {path}, or {path}_ref: {{name, key}} to read it from a Secret of the plugin's namespace");
            return null;
        }

        return inline;
    }
}
