namespace Higress.Core.Resources;

/// <summary>A GRPCRoute match.</summary>
public sealed record GrpcRouteMatch
{
    /// <summary>The gRPC service and method.</summary>
    public GrpcMethodMatch? Method { get; init; }

    /// <summary>Header conditions.</summary>
    public EquatableArray<HttpHeaderMatch> Headers { get; init; }
}
