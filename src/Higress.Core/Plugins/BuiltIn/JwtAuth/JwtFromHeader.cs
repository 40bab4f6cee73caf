using System.ComponentModel.DataAnnotations;

namespace Higress.Core.Plugins.BuiltIn.JwtAuth;

/// <summary>One <c>from_headers</c> entry: the header a token is read from, and the prefix before it.</summary>
internal sealed record JwtFromHeader
{
    /// <summary><c>name</c>: the header.</summary>
    [Required]
    public string Name { get; init; } = string.Empty;

    /// <summary><c>value_prefix</c>: removed from the value (e.g. <c>Bearer </c>); a value without it carries no token.</summary>
    public string ValuePrefix { get; init; } = string.Empty;
}
