namespace Higress.Core.Routing;

/// <summary>
/// What the gateway does with an encoded slash (<c>%2F</c>) or backslash (<c>%5C</c>, or a literal <c>\</c>) in a
/// request path (<c>Higress:Security:EscapedSlashes</c>; docs/security.md).
/// </summary>
public enum EscapedSlashAction
{
    /// <summary>Answer 400 (the default): a backend that decodes them would see other segments than the gateway's policies.</summary>
    Reject,

    /// <summary>Keep them encoded, as data inside one segment, on the wire to the backend too.</summary>
    Keep,

    /// <summary>Decode both to <c>/</c> before matching, then merge slashes and remove dot segments as usual.</summary>
    Decode,
}
