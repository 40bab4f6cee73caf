using Higress.Core.Resources;

namespace Higress.Hosting.Sources;

/// <summary>
/// Builds a native Route. Rule methods (<see cref="Match"/>, <see cref="To"/>, <see cref="Timeout"/>...) apply to the
/// current rule; <see cref="Rule"/> starts another one.
/// </summary>
public sealed class RouteBuilder
{
    private readonly List<string> _hosts = [];
    private readonly List<string> _gateways = [];
    private readonly List<RouteRule> _rules = [];
    private RouteRule? _current;

    /// <summary>Adds hosts the route matches (wildcards like <c>*.example.com</c> allowed).</summary>
    /// <param name="hosts">The hosts.</param>
    public RouteBuilder Host(params string[] hosts)
    {
        _hosts.AddRange(hosts);
        return this;
    }

    /// <summary>Attaches the route to a gateway (<c>name</c> or <c>namespace/name</c>).</summary>
    /// <param name="gateway">The gateway.</param>
    public RouteBuilder Gateway(string gateway)
    {
        _gateways.Add(gateway);
        return this;
    }

    /// <summary>Starts a new rule.</summary>
    /// <param name="name">The rule's name.</param>
    public RouteBuilder Rule(string? name = null)
    {
        Flush();
        _current = new RouteRule { Name = name };
        return this;
    }

    /// <summary>Adds a match (matches are OR'ed; conditions inside one are AND'ed).</summary>
    /// <param name="configure">The conditions.</param>
    public RouteBuilder Match(Action<MatchBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var match = new MatchBuilder();
        configure(match);
        return Edit(r => r with { Match = [.. r.Match, match.Build()] });
    }

    /// <summary>Adds a destination.</summary>
    /// <param name="host">A Service name or ServiceEntry host.</param>
    /// <param name="port">The port.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="subset">A ServiceEntry subset.</param>
    public RouteBuilder To(string host, int? port = null, int? weight = null, string? subset = null) =>
        Edit(r => r with { Route = [.. r.Route, new RouteDestination { Destination = new Destination { Host = host, Port = port, Subset = subset }, Weight = weight }] });

    /// <summary>Rewrites the path prefix and/or authority.</summary>
    /// <param name="uri">The new path (prefix).</param>
    /// <param name="authority">The new host.</param>
    public RouteBuilder Rewrite(string? uri = null, string? authority = null) => Edit(r => r with { Rewrite = new HttpRewrite { Uri = uri, Authority = authority } });

    /// <summary>Answers with a redirect.</summary>
    /// <param name="redirect">The redirect.</param>
    public RouteBuilder Redirect(HttpRedirect redirect) => Edit(r => r with { Redirect = redirect });

    /// <summary>Answers with a fixed response.</summary>
    /// <param name="status">The status code.</param>
    /// <param name="body">The body.</param>
    public RouteBuilder DirectResponse(int status, string? body = null) =>
        Edit(r => r with { DirectResponse = new HttpDirectResponse { Status = status, Body = body is null ? null : new HttpBody { String = body } } });

    /// <summary>Sets the whole-request timeout.</summary>
    /// <param name="timeout">The timeout.</param>
    public RouteBuilder Timeout(TimeSpan timeout) => Edit(r => r with { Timeout = timeout });

    /// <summary>Sets the retry policy.</summary>
    /// <param name="attempts">Retries after the first try.</param>
    /// <param name="perTryTimeout">Each try's timeout.</param>
    /// <param name="retryOn">Conditions, e.g. <c>5xx,reset</c>.</param>
    public RouteBuilder Retries(int attempts, TimeSpan? perTryTimeout = null, string? retryOn = null) =>
        Edit(r => r with { Retries = new HttpRetry { Attempts = attempts, PerTryTimeout = perTryTimeout, RetryOn = retryOn } });

    /// <summary>Adds an inline plugin to the rule.</summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="config">Its config: JSON text, a JsonNode, or an object.</param>
    public RouteBuilder Plugin(string name, object? config = null) =>
        Edit(r => r with { Plugins = [.. r.Plugins, new InlinePlugin { Name = name, Config = config is null ? null : ResourceBuilder.ToJson(config) }] });

    /// <summary>Changes the current rule in any other way.</summary>
    /// <param name="edit">Returns the changed rule.</param>
    public RouteBuilder Edit(Func<RouteRule, RouteRule> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        _current = edit(_current ?? new RouteRule());
        return this;
    }

    internal RouteSpec Build()
    {
        Flush();
        return new RouteSpec { Hosts = [.. _hosts], Gateways = [.. _gateways], Http = [.. _rules] };
    }

    private void Flush()
    {
        if (_current is not null)
        {
            _rules.Add(_current);
            _current = null;
        }
    }
}
