using System.Globalization;
using System.Net;
using System.Text;
using Higress.Core.Explain;
using Higress.Core.Plan;

namespace Higress.Testing;

/// <content>Explaining requests against the plan being served, and asserting that they were routed.</content>
public sealed partial class HigressTestHost
{
    private const int BodyExcerptLength = 500;

    private static readonly HashSet<HttpStatusCode> GatewayErrors =
    [
        HttpStatusCode.NotFound,
        HttpStatusCode.InternalServerError,
        HttpStatusCode.BadGateway,
        HttpStatusCode.ServiceUnavailable,
        HttpStatusCode.GatewayTimeout,
    ];

    /// <summary>
    /// Explains what the gateway does with <paramref name="request"/> under the plan it serves now: the listener, the
    /// matched object and rule, the backends and the chosen one, or why it answers itself. Nothing is sent.
    /// </summary>
    /// <param name="request">The request; a relative URI is taken relative to <c>http://localhost/</c>, like the client's.</param>
    public RouteExplanation Explain(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(new Uri("http://localhost/"), request.RequestUri?.ToString() ?? "/");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = string.Join(',', values);
        }

        return new GatewayExplainer(Translation).Explain(new ExplainRequest(request.Method.Method, uri.AbsoluteUri) { Headers = headers });
    }

    /// <summary>
    /// Returns <paramref name="response"/> unless the gateway answered it itself with 404, 500, 502, 503 or 504 (a
    /// rule's own direct response excepted); then throws a <see cref="GatewayRoutingException"/> that explains why: the
    /// response body, the in-memory backend that was missing, the matched rule and backends, and configuration errors.
    /// </summary>
    /// <param name="response">A response to a request sent by a <see cref="CreateClient"/> client.</param>
    /// <exception cref="ArgumentException">The response did not come from a client of this host.</exception>
    public async Task<HttpResponseMessage> EnsureRoutedAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var request = response.RequestMessage;
        var exchange = request is null ? null : GatewayExchange.Of(request);
        if (request is null || exchange is null)
        {
            throw new ArgumentException("The response did not come from a client of this test host; send the request with host.CreateClient().", nameof(response));
        }

        if (exchange.Backend is not null || !GatewayErrors.Contains(response.StatusCode))
        {
            return response;
        }

        var explanation = Explain(request);
        if (explanation.Rule?.Action is DirectResponseAction direct && direct.StatusCode == (int)response.StatusCode)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        throw new GatewayRoutingException(Describe(request, response, body, exchange, explanation), explanation);
    }

    private string Describe(HttpRequestMessage request, HttpResponseMessage response, string body, GatewayExchange exchange, RouteExplanation explanation)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.Append(invariant, $"The gateway answered {(int)response.StatusCode} itself to {request.Method} {request.RequestUri}.");
        body = body.Trim();
        if (body.Length > 0)
        {
            text.Append(invariant, $"\n  body: {(body.Length > BodyExcerptLength ? body[..BodyExcerptLength] + "…" : body)}");
        }

        if (exchange.DispatchError is { } dispatch)
        {
            text.Append(invariant, $"\n  backend: {dispatch}");
        }

        text.Append(invariant, $"\n  explanation: {explanation.Summary}");
        text.Append(invariant, $"\n  listener: {explanation.Listener ?? "none serves this port and host"}");
        if (explanation.Object is not null)
        {
            text.Append(invariant, $"\n  rule: {explanation.Object} {explanation.RuleName ?? explanation.RuleId} (match {explanation.MatchIndex})");
        }

        foreach (var backend in explanation.Backends)
        {
            var destinations = backend.Destinations.Count == 0 ? "no endpoints" : string.Join(", ", backend.Destinations);
            text.Append(invariant, $"\n  backend {backend.ClusterId ?? "(invalid)"} weight {backend.Weight}: {backend.Error ?? destinations}");
        }

        foreach (var error in Translation.Diagnostics.Where(d => d.IsError))
        {
            text.Append(invariant, $"\n  configuration error: {error}");
        }

        return text.ToString();
    }
}
