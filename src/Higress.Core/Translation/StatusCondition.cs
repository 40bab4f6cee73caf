namespace Higress.Core.Translation;

/// <summary>A condition on an object's status, in the Gateway API's shape.</summary>
/// <param name="Type">E.g. <c>Accepted</c>, <c>ResolvedRefs</c>, <c>Programmed</c>.</param>
/// <param name="Status">True or false.</param>
/// <param name="Reason">A CamelCase reason, e.g. <c>BackendNotFound</c>.</param>
/// <param name="Message">A human-readable message naming the field and the fix.</param>
public sealed record StatusCondition(string Type, bool Status, string Reason, string Message);
