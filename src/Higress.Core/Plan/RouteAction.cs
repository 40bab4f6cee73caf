using System.Text.Json.Serialization;
using Higress.Core.Resources;

namespace Higress.Core.Plan;

/// <summary>What a matched rule does.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ForwardAction), "forward")]
[JsonDerivedType(typeof(RedirectAction), "redirect")]
[JsonDerivedType(typeof(DirectResponseAction), "directResponse")]
[JsonDerivedType(typeof(FailAction), "fail")]
public abstract record RouteAction;

/// <summary>Proxy to one of the weighted backends.</summary>
/// <param name="Backends">The backends; one is chosen per request by weight.</param>
public sealed record ForwardAction(EquatableArray<BackendPlan> Backends) : RouteAction
{
    /// <summary>The canary that may take the request instead of <see cref="Backends"/>, or null for none.</summary>
    public CanaryPlan? Canary { get; init; }
}

/// <summary>Answer with a redirect (Gateway API <c>RequestRedirect</c>, native <c>redirect</c>).</summary>
/// <param name="Scheme">New scheme, or null to keep the request's.</param>
/// <param name="Hostname">New hostname, or null to keep the request's.</param>
/// <param name="Port">New port, or null for the Gateway API's default-port rules.</param>
/// <param name="Path">Path change, or null to keep the path.</param>
/// <param name="StatusCode">301, 302, 303, 307 or 308.</param>
public sealed record RedirectAction(string? Scheme, string? Hostname, int? Port, PathModifier? Path, int StatusCode) : RouteAction;

/// <summary>Answer with a fixed response.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Body">The body, or null for none.</param>
/// <param name="ContentType">The content type of the body.</param>
public sealed record DirectResponseAction(int StatusCode, string? Body, string ContentType = "text/plain; charset=utf-8") : RouteAction;

/// <summary>A rule that matched but cannot be served (missing or invalid backends): answer with an error.</summary>
/// <param name="StatusCode">The status code, 500 by the Gateway API.</param>
/// <param name="Reason">Why, for logs and <c>/config_dump</c>.</param>
public sealed record FailAction(int StatusCode, string Reason) : RouteAction;
