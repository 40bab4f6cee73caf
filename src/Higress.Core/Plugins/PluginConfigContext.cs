using System.Text.Json;
using System.Text.Json.Nodes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Plugins;

/// <summary>
/// Collects the problems found while parsing one plugin instance's configuration. Parsers report every
/// problem instead of stopping at the first, so that a user fixes a config in one round.
/// </summary>
public sealed class PluginConfigContext
{
    private static readonly JsonSerializerOptions SnakeCaseOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    private readonly List<PluginConfigError> _errors = [];
    private readonly List<PluginConfigError> _warnings = [];

    /// <summary>Creates a context for one instance.</summary>
    /// <param name="pluginName">The plugin's name.</param>
    /// <param name="instanceId">The configuring object, e.g. <c>Extension default/jwt</c>.</param>
    public PluginConfigContext(string pluginName, string instanceId)
    {
        PluginName = pluginName;
        InstanceId = instanceId;
    }

    /// <summary>The plugin's name.</summary>
    public string PluginName { get; }

    /// <summary>The configuring object, e.g. <c>Extension default/jwt</c>.</summary>
    public string InstanceId { get; }

    /// <summary>
    /// The namespace of the configuring object: Secrets named by the config are looked up here, never elsewhere.
    /// </summary>
    public string Namespace { get; init; } = "default";

    /// <summary>
    /// True when this config is a <c>matchRules</c> entry's (merged field by field over the instance's default
    /// config), false for the default config itself.
    /// </summary>
    public bool IsMatchRule { get; init; }

    /// <summary>True when the instance has <c>matchRules</c> (Higress's <c>global_auth</c> default depends on it).</summary>
    public bool HasMatchRules { get; init; }

    /// <summary>Finds a Secret by name in <see cref="Namespace"/>; null when the source has no Secrets.</summary>
    internal Func<string, Secret?>? SecretLookup { get; init; }

    /// <summary>
    /// Resolves a service host and optional port in <see cref="Namespace"/> as a route destination resolves:
    /// the endpoint addresses, or an error message; null when the config is parsed outside a translation.
    /// </summary>
    internal Func<string, int?, (IReadOnlyList<System.Net.DnsEndPoint>? Endpoints, string? Error)>? ServiceLookup { get; init; }

    /// <summary>Fingerprints of the Secret values this config read: a changed value makes a new binding.</summary>
    internal SortedSet<string> SecretFingerprints { get; private init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A context for a part of this config parsed on its own (a wrapper's inner object): same instance, namespace, scope
    /// and Secrets, and the Secrets it reads count for this config; its errors are the caller's to re-path.
    /// </summary>
    internal PluginConfigContext Nested() => new(PluginName, InstanceId)
    {
        Namespace = Namespace,
        IsMatchRule = IsMatchRule,
        HasMatchRules = HasMatchRules,
        SecretLookup = SecretLookup,
        ServiceLookup = ServiceLookup,
        SecretFingerprints = SecretFingerprints,
    };

    /// <summary>
    /// Reads one value of a Secret in the configuring object's namespace (multi-tenancy: a config never reads another
    /// namespace's Secrets). A missing Secret or key is reported as an error on <paramref name="fieldPath"/>. The value
    /// is not part of the config JSON, so <c>/config_dump</c> never prints it; a change of the value re-creates the
    /// instance on the next apply.
    /// </summary>
    /// <param name="secretName">The Secret's name.</param>
    /// <param name="key">The key in the Secret's data.</param>
    /// <param name="fieldPath">The config field that names the Secret, for the error.</param>
    /// <returns>The value as UTF-8 text, or null (an error was reported).</returns>
    public string? ReadSecret(string secretName, string key, string fieldPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretName);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var secret = SecretLookup?.Invoke(secretName);
        if (secret is null)
        {
            AddError(fieldPath, $"Secret {Namespace}/{secretName} does not exist", $"create Secret '{secretName}' in namespace '{Namespace}' (Secrets of other namespaces are never read)");
            return null;
        }

        string? value;
        try
        {
            value = secret.GetString(key);
        }
        catch (FormatException)
        {
            AddError(fieldPath, $"Secret {Namespace}/{secretName} key '{key}' is not valid base64", "fix the Secret's data, or use stringData");
            return null;
        }

        if (value is null)
        {
            AddError(fieldPath, $"Secret {Namespace}/{secretName} has no key '{key}'", $"use one of its keys: {string.Join(", ", secret.Keys.Order(StringComparer.Ordinal))}");
            return null;
        }

        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value)), 0, 8);
        SecretFingerprints.Add($"{secretName}/{key}:{hash}");
        return value;
    }

    /// <summary>
    /// Resolves a service that a plugin talks to (a Redis, an auth server) as a route destination resolves: a
    /// ServiceEntry host, or a Service (<c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc.cluster.local</c>) of the configuring
    /// object's namespace, to its endpoint addresses. An unknown service is reported as an error on
    /// <paramref name="fieldPath"/>. The addresses are part of the instance's identity: when they change, the instance
    /// is re-created on the next apply. A config parsed outside a translation (a binding made by code) has no
    /// resources to look in: the host is then taken as a DNS name or address.
    /// </summary>
    /// <param name="host">The service host.</param>
    /// <param name="port">The service port, or null for the service's only port.</param>
    /// <param name="fieldPath">The config field that names the service, for the error.</param>
    /// <returns>The endpoints (at least one), or null (an error was reported).</returns>
    public IReadOnlyList<System.Net.DnsEndPoint>? ResolveService(string host, int? port, string fieldPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (ServiceLookup is null)
        {
            if (port is null)
            {
                AddError(fieldPath, $"'{host}' names no port and no resources are at hand to find one", "set the port field");
                return null;
            }

            return [new System.Net.DnsEndPoint(host, port.Value)];
        }

        var (endpoints, error) = ServiceLookup(host, port);
        if (endpoints is null || endpoints.Count == 0)
        {
            AddError(fieldPath, error ?? $"service '{host}' has no endpoints", $"create a Service in namespace '{Namespace}' or a ServiceEntry with host '{host}' (a ServiceEntry with a static endpoint points at an address), or fix the name");
            return null;
        }

        SecretFingerprints.Add($"service:{host}:{port}={string.Join(",", endpoints.Select(e => $"{e.Host}:{e.Port}"))}");
        return endpoints;
    }

    /// <summary>The problems reported so far.</summary>
    public IReadOnlyList<PluginConfigError> Errors => _errors;

    /// <summary>True when at least one problem was reported.</summary>
    public bool HasErrors => _errors.Count > 0;

    /// <summary>Warnings reported so far (unknown fields, for example); they do not stop the instance.</summary>
    public IReadOnlyList<PluginConfigError> Warnings => _warnings;

    /// <summary>Reports a warning: something that does not stop the instance but that the user should fix.</summary>
    /// <param name="fieldPath">The field, relative to the plugin config.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="fix">How to fix it.</param>
    public void AddWarning(string fieldPath, string message, string? fix = null) => _warnings.Add(new PluginConfigError(fieldPath, message, fix));

    /// <summary>
    /// Binds <paramref name="config"/> onto <typeparamref name="T"/> with the binder that reads resources: Higress's
    /// snake_case field names (<c>StatusCode</c> is <c>status_code</c>, unless <c>[JsonPropertyName]</c> says
    /// otherwise), absent fields keeping the record's initialisers as defaults, unknown fields as warnings with a
    /// suggestion, and wrong types, <c>[Required]</c> and <c>[Range]</c> violations (System.ComponentModel.DataAnnotations)
    /// as errors with their field paths and fixes. Every problem is reported; nothing throws.
    /// </summary>
    /// <typeparam name="T">A record class with a parameterless constructor and <c>init</c> properties; nested records,
    /// <c>EquatableArray&lt;T&gt;</c>, <c>EquatableMap&lt;T&gt;</c>, enums, numbers, strings, booleans and durations
    /// (<c>TimeSpan</c>, written <c>2s</c>) bind.</typeparam>
    /// <param name="config">The configuration JSON.</param>
    /// <returns>The bound value (with defaults where fields failed); check <see cref="HasErrors"/>.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no public parameterless constructor.</exception>
    public T Bind<T>(JsonElement config)
        where T : class => Bind<T>(config, rejectUnknownFields: false);

    /// <summary>
    /// Binds like <see cref="Bind{T}(JsonElement)"/>; with <paramref name="rejectUnknownFields"/> an unknown field is an
    /// error, not a warning. Security plugins bind this way: a misspelt field must not silently weaken a policy.
    /// </summary>
    /// <typeparam name="T">A record class with a parameterless constructor and <c>init</c> properties.</typeparam>
    /// <param name="config">The configuration JSON.</param>
    /// <param name="rejectUnknownFields">True to report unknown fields as errors.</param>
    /// <returns>The bound value (with defaults where fields failed); check <see cref="HasErrors"/>.</returns>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no public parameterless constructor.</exception>
    public T Bind<T>(JsonElement config, bool rejectUnknownFields)
        where T : class
    {
        if (typeof(T).GetConstructor(Type.EmptyTypes) is null)
        {
            throw new InvalidOperationException(
                $"{typeof(T).Name} cannot be bound: it needs a public parameterless constructor. Declare it as a record with init properties, or override ParseConfig.");
        }

        if (config.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return Activator.CreateInstance<T>();
        }

        if (JsonNode.Parse(config.GetRawText()) is not JsonObject json)
        {
            AddError(string.Empty, $"must be a mapping of fields, not {JsonBinder.Describe(JsonNode.Parse(config.GetRawText()))}", $"see the {PluginName} plugin's field table");
            return Activator.CreateInstance<T>();
        }

        var bind = new BindContext(InstanceId, null, stringScalars: false, FieldNaming.SnakeCase) { UnknownFieldsAreErrors = rejectUnknownFields };
        var bound = (T?)new JsonBinder(bind).BindRecord(json, typeof(T), string.Empty) ?? Activator.CreateInstance<T>();
        foreach (var diagnostic in bind.Diagnostics)
        {
            var problem = new PluginConfigError(diagnostic.FieldPath, diagnostic.Message, diagnostic.Fix);
            (diagnostic.IsError ? _errors : _warnings).Add(problem);
        }

        return bound;
    }

    /// <summary>Reports a problem.</summary>
    /// <param name="fieldPath">The field, relative to the plugin config, e.g. <c>headers[1]</c>.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="fix">How to fix it.</param>
    public void AddError(string fieldPath, string message, string? fix = null) => _errors.Add(new PluginConfigError(fieldPath, message, fix));

    /// <summary>
    /// Binds <paramref name="config"/> to <typeparamref name="T"/> with snake_case property names (Higress's
    /// field names), reporting a type mismatch as an error on its field instead of throwing.
    /// </summary>
    /// <typeparam name="T">The config type.</typeparam>
    /// <param name="config">The configuration JSON.</param>
    /// <param name="options">Serializer options; snake_case names by default.</param>
    /// <returns>The bound value, or null when binding failed (an error was reported).</returns>
    public T? Deserialize<T>(JsonElement config, JsonSerializerOptions? options = null)
        where T : class
    {
        try
        {
            return config.Deserialize<T>(options ?? SnakeCaseOptions);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is null or "$" ? string.Empty : ex.Path.TrimStart('$', '.');
            AddError(path, "has the wrong type or shape", $"see the {PluginName} plugin's field table");
            return null;
        }
    }
}
