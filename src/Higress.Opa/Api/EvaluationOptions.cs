namespace Higress.Opa;

/// <summary>Options of one evaluation.</summary>
public sealed class EvaluationOptions
{
    /// <summary>The shared default options.</summary>
    public static EvaluationOptions Default { get; } = new();

    /// <summary>Time budget of the evaluation (default 5 s). When spent, evaluation stops with <c>eval_cancel_error</c>. Null: no limit.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Maximum nesting of rule and function evaluations (default 1000); exceeding it raises <c>eval_depth_limit_error</c>.</summary>
    public int MaxDepth { get; init; } = 1000;

    /// <summary>Raise built-in errors instead of treating the call as undefined (OPA's <c>--strict-builtin-errors</c>).</summary>
    public bool StrictBuiltinErrors { get; init; }

    /// <summary>The evaluation's clock (for time.now_ns); default: the current time.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Cancellation of the evaluation.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Environment variables exposed by <c>opa.runtime().env</c> (default: none, and <c>opa.runtime()</c> is <c>{}</c>).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Allow network built-ins (http.send, net.lookup_ip_addr). Default false.</summary>
    public bool AllowNetwork { get; init; }

    /// <summary>HTTP client for http.send when <see cref="AllowNetwork"/> is true.</summary>
    public HttpClient? HttpClient { get; init; }

    internal Func<Values.RegoValue>? RuntimeFactory { get; set; }

    /// <summary>Receives the output of <c>print</c>.</summary>
    public Action<string>? Print { get; init; }
}
