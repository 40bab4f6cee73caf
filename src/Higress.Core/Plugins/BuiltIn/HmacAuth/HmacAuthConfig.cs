using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Higress.Core.Plugins.BuiltIn.Auth;
using Higress.Core.Resources;

namespace Higress.Core.Plugins.BuiltIn.HmacAuth;

/// <summary>The <c>hmac-auth</c> config: Higress's field names, snake_case on the wire.</summary>
internal sealed record HmacAuthConfig : AuthConfig
{
    /// <summary><c>consumers</c>: who may call, each with the <c>key</c> it sends in <c>x-ca-key</c> and the <c>secret</c> it signs with.</summary>
    public EquatableArray<HmacConsumer> Consumers { get; init; }

    /// <summary>
    /// <c>date_offset</c>: the most seconds the request's <c>Date</c> (or <c>x-ca-timestamp</c>) may differ from the
    /// gateway's clock; null (or 0) does not check the time.
    /// </summary>
    public long? DateOffset { get; init; }

    /// <summary>The consumers with their resolved secrets.</summary>
    [JsonIgnore]
    public EquatableArray<ConsumerCredential> Credentials { get; init; }
}

/// <summary>A consumer of <c>hmac-auth</c>: <c>{name, key, secret}</c>, or <c>secret_ref: {name, key}</c> instead of <c>secret</c>.</summary>
internal sealed record HmacConsumer
{
    /// <summary><c>name</c>: what <c>X-Mse-Consumer</c> and <c>allow</c> carry.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary><c>key</c>: the app key the client sends in <c>x-ca-key</c> (not secret).</summary>
    [Required]
    public string Key { get; init; } = string.Empty;

    /// <summary><c>secret</c>: the HMAC secret.</summary>
    public string? Secret { get; init; }

    /// <summary><c>secret_ref</c>: the secret, read from a Secret of the plugin's namespace instead.</summary>
    public SecretKeyRef? SecretRef { get; init; }
}
