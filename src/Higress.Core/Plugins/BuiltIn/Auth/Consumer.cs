using System.ComponentModel.DataAnnotations;

namespace Higress.Core.Plugins.BuiltIn.Auth;

/// <summary>
/// A consumer of <c>key-auth</c> or <c>basic-auth</c>: Higress's <c>{name, credential}</c>, or, instead of the inline
/// <c>credential</c>, our <c>credential_ref: {name, key}</c> naming a Secret of the plugin's namespace.
/// </summary>
internal sealed record Consumer
{
    /// <summary><c>name</c>: what <c>X-Mse-Consumer</c> and <c>allow</c> carry.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary><c>credential</c>: the API key, or <c>user:password</c>.</summary>
    public string? Credential { get; init; }

    /// <summary><c>credential_ref</c>: the credential, read from a Secret instead.</summary>
    public SecretKeyRef? CredentialRef { get; init; }
}
