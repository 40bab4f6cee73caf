using System.ComponentModel.DataAnnotations;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>One <c>claims_to_headers</c> entry: copy a claim (a string or a number) onto a request header.</summary>
internal sealed record JwtClaimToHeader
{
    /// <summary><c>claim</c>: the payload field.</summary>
    [Required]
    public string Claim { get; init; } = string.Empty;

    /// <summary><c>header</c>: the request header to set.</summary>
    [Required]
    public string Header { get; init; } = string.Empty;

    /// <summary><c>override</c>: true replaces an existing header of that name, false appends a value.</summary>
    public bool Override { get; init; } = true;
}
