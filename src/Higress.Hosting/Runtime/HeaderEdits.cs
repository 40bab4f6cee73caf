using Higress.Core.Plan;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Higress.Hosting.Runtime;

/// <summary>
/// Applies a <see cref="HeaderModifier"/> to a header dictionary: set, then add, then remove. The one implementation
/// for request and response edits, forwarded and local answers alike.
/// </summary>
internal static class HeaderEdits
{
    /// <summary>
    /// Applies <paramref name="modifier"/>. <c>add</c> appends to one comma-joined value (<c>a,b</c>), as Envoy does and
    /// the Gateway API conformance tests expect, rather than adding a second header line.
    /// </summary>
    public static void Apply(IHeaderDictionary headers, HeaderModifier modifier)
    {
        if (modifier.IsEmpty)
        {
            return;
        }

        foreach (var set in modifier.Set)
        {
            headers[set.Name] = set.Value;
        }

        foreach (var add in modifier.Add)
        {
            headers[add.Name] = headers.TryGetValue(add.Name, out var existing) && !StringValues.IsNullOrEmpty(existing)
                ? string.Join(',', existing.Append(add.Value))
                : add.Value;
        }

        foreach (var name in modifier.Remove)
        {
            headers.Remove(name);
        }
    }

    /// <summary>Applies the rule's request edits, then the chosen backend's, to the request YARP forwards.</summary>
    public static void ApplyToRequest(HttpRequest request, RoutePlan route, BackendPlan? backend)
    {
        Apply(request.Headers, route.RequestHeaders);
        Apply(request.Headers, backend?.RequestHeaders ?? HeaderModifier.None);
    }

    /// <summary>Applies the rule's response edits, then the chosen backend's, to the response the client gets.</summary>
    public static void ApplyToResponse(HttpResponse response, RoutePlan route, BackendPlan? backend)
    {
        Apply(response.Headers, route.ResponseHeaders);
        Apply(response.Headers, backend?.ResponseHeaders ?? HeaderModifier.None);
    }
}
