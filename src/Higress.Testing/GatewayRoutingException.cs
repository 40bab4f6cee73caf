using Higress.Core.Explain;

namespace Higress.Testing;

/// <summary>Thrown by <see cref="HigressTestHost.EnsureRoutedAsync"/> when the gateway answered a request itself with an error.</summary>
public sealed class GatewayRoutingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What the gateway answered and why.</param>
    /// <param name="explanation">The explanation of the request against the plan served.</param>
    public GatewayRoutingException(string message, RouteExplanation explanation)
        : base(message)
    {
        Explanation = explanation;
    }

    /// <summary>The explanation of the request against the plan served.</summary>
    public RouteExplanation Explanation { get; }
}
