using Yarp.ReverseProxy.Model;

namespace Higress.Hosting.Resilience;

/// <summary>
/// A cluster policy that learns from every try sent to an upstream (a retry is a try of its own): outlier detection
/// counts consecutive errors per destination here. Called on the request's thread; keep it cheap and never throw.
/// </summary>
internal interface IUpstreamTryObserver
{
    /// <summary>Reports how one try ended.</summary>
    /// <param name="call">The call the try belongs to.</param>
    /// <param name="destination">Where the try went.</param>
    /// <param name="response">The upstream's response (headers received), or null when the try failed.</param>
    /// <param name="error">Why the try failed (connect failure, reset, per-try timeout), or null.</param>
    void OnTry(UpstreamCall call, DestinationState destination, HttpResponseMessage? response, Exception? error);
}

/// <summary>
/// A route's retry policy, run by the upstream handler around each try. It sends through
/// <see cref="UpstreamHandler.SendOnceAsync"/> so that every try is observed by the cluster's policies.
/// </summary>
internal interface IUpstreamRetry
{
    /// <summary>Sends <paramref name="request"/>, retrying as the policy allows; returns the response to forward.</summary>
    Task<HttpResponseMessage> SendAsync(UpstreamHandler handler, UpstreamCall call, HttpRequestMessage request, CancellationToken cancellationToken);
}

/// <summary>
/// A cluster policy that may refuse a request before it is sent (connection-pool limits, circuit breaking). The
/// middleware asks before forwarding; a refusal is answered at once with 503 and <c>x-higress-overloaded: true</c>.
/// </summary>
internal interface IClusterAdmission
{
    /// <summary>Admits one request; returns false (and holds nothing) when a limit is full.</summary>
    bool TryEnter();

    /// <summary>Releases what <see cref="TryEnter"/> took, once the request is done.</summary>
    void Exit();
}
