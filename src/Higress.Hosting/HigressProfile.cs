namespace Higress.Hosting;

/// <summary>How the process is tuned (<c>Higress:Profile</c>; docs/sidecar.md).</summary>
public enum HigressProfile
{
    /// <summary>Throughput first: the runtime's and the host's own settings.</summary>
    Default,

    /// <summary>
    /// Memory first, for a proxy beside one app: a GC heap limit, no background GC, short-lived idle upstream
    /// connections, one compacting collection after start-up and the release of start-up-only image pages
    /// (<see cref="HigressSidecarOptions.TrimImagePages"/>). The runtime settings that must be given before the
    /// process starts (Workstation GC, W^X) are documented in docs/sidecar.md.
    /// </summary>
    Sidecar,
}
