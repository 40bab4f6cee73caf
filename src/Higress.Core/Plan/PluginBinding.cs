using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>
/// One configured plugin instance on a rule. Equality covers everything but <see cref="Config"/> (the parsed
/// object), so two plans built from the same configuration compare equal.
/// </summary>
/// <param name="Name">The plugin name, e.g. <c>custom-response</c>.</param>
/// <param name="InstanceId">
/// Where the instance was configured: <c>Extension default/jwt</c>, <c>WasmPlugin default/key-auth</c>,
/// <c>Route default/r#http[0].plugins[1]</c>, or a name chosen by code.
/// </param>
/// <param name="Phase">The phase it runs in.</param>
/// <param name="Priority">Its priority within the phase; higher runs first.</param>
/// <param name="FailStrategy">What happens when it throws.</param>
/// <param name="ConfigJson">The effective configuration as compact JSON (for diffing and <c>/config_dump</c>).</param>
public sealed record PluginBinding(
    string Name,
    string InstanceId,
    PluginPhase Phase,
    int Priority,
    FailStrategy FailStrategy,
    string ConfigJson)
{
    /// <summary>
    /// The parsed configuration, or null to have the chain factory parse <see cref="ConfigJson"/> when the plan
    /// is applied. Not part of equality.
    /// </summary>
    public object? Config { get; init; }

    /// <summary>
    /// Fingerprints (hashes, never values) of the Secret values the config read, or null for none: a rotated credential
    /// changes the binding, so the instance is re-created with it.
    /// </summary>
    public string? SecretsVersion { get; init; }

    /// <inheritdoc />
    public bool Equals(PluginBinding? other) =>
        ReferenceEquals(this, other)
        || (other is not null
            && Name == other.Name
            && InstanceId == other.InstanceId
            && Phase == other.Phase
            && Priority == other.Priority
            && FailStrategy == other.FailStrategy
            && ConfigJson == other.ConfigJson
            && SecretsVersion == other.SecretsVersion);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, InstanceId, Phase, Priority, FailStrategy, ConfigJson, SecretsVersion);

    /// <summary><c>name (instance, phase/priority)</c>, for logs.</summary>
    public override string ToString() => $"{Name} ({InstanceId}, {Phase}/{Priority})";
}
