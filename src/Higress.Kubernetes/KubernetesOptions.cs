namespace Higress.Kubernetes;

/// <summary>
/// The Kubernetes source (the <c>Higress:Kubernetes</c> section, docs/kubernetes.md "Watching a cluster"): which cluster
/// to watch and where.
/// </summary>
public sealed class KubernetesOptions
{
    /// <summary>Watch a cluster (default false). <c>AddKubernetes()</c> registers the source; this turns it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// A kubeconfig file. Unset: the in-cluster configuration (service account) when running in a pod, then the file
    /// named by <c>KUBECONFIG</c>, then <c>~/.kube/config</c>.
    /// </summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The namespaces whose objects are read; empty (the default) means all namespaces.</summary>
    public IList<string> Namespaces { get; set; } = [];

    /// <summary>
    /// The namespace of the leader-election Lease (coordination.k8s.io/v1); unset: the pod's namespace (from the
    /// service-account files), else <c>default</c>.
    /// </summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>The name of the leader-election Lease (default <c>higress-net-status</c>); replicas with one name elect one status writer.</summary>
    public string LeaseName { get; set; } = "higress-net-status";

    /// <summary>How long a Lease holds without renewal before another replica may take it (default 15 s, whole seconds).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before it gives up leading (default 10 s; below <see cref="LeaseDuration"/>).</summary>
    public TimeSpan LeaseRenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the Lease is tried or renewed (default 2 s).</summary>
    public TimeSpan LeaseRetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Write status conditions to the watched objects (default true); only the replica holding the Lease writes.</summary>
    public bool WriteStatus { get; set; } = true;

    /// <summary>At most this many status patches per second (default 20), so that a large cluster's first sync does not flood the API server.</summary>
    public double StatusWritesPerSecond { get; set; } = 20;

    /// <summary>A label selector (e.g. <c>higress.io/secret=true</c>) that limits which Secrets are read; unset: every Secret in the watched namespaces.</summary>
    public string? SecretLabelSelector { get; set; }

    /// <summary>How often every kind is listed again from scratch, to repair anything a watch missed (default 10 minutes).</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A watch stream that sends nothing (not even a bookmark) for this long is considered dead and reopened (default 5 minutes).</summary>
    public TimeSpan WatchIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a kind whose CRD is not installed (its list answered 404) is looked for again (default 1 minute).</summary>
    public TimeSpan MissingKindRecheck { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The first reconnect delay after a failed list or watch; it doubles per failure, with jitter, up to <see cref="MaxBackoff"/> (default 200 ms).</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest reconnect delay (default 30 s).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);
}
