namespace Higress.Core.Translation;

/// <summary>Settings the translator needs from the host; plain values, so translation stays a pure function.</summary>
public sealed record TranslatorOptions
{
    /// <summary>The default GatewayClass name (served even when no GatewayClass object exists).</summary>
    public string GatewayClassName { get; init; } = "higress";

    /// <summary>The controller name a GatewayClass must carry for its Gateways to be served.</summary>
    public string ControllerName { get; init; } = "higress.io/gateway-controller";

    /// <summary>Ports listeners may not use, such as the admin port.</summary>
    public IReadOnlyCollection<int> ReservedPorts { get; init; } = [];

    /// <summary>Sidecar mode's inbound and outbound ports; null (default) for none.</summary>
    public SidecarSettings? Sidecar { get; init; }

    /// <summary>The generation to stamp on the plan.</summary>
    public long Generation { get; init; }
}
