using Higress.Opa;
using Higress.Opa.Values;

namespace Higress.Core.Plugins.BuiltIn.Opa;

/// <summary>
/// Checks an <c>opa</c> config across fields and derives what requests use: the decision path, the mode (exactly one
/// of an embedded source or a remote OPA), the remote URL, and the compiled inline policy. An inline policy that does
/// not compile is a config error with file:line:col, so the last good config keeps serving.
/// </summary>
internal static class OpaConfigValidator
{
    /// <summary>The module name of the <c>rego</c> field in error locations.</summary>
    public const string InlineModuleName = "policy.rego";

    public static OpaConfig Validate(OpaConfig config, PluginConfigContext context)
    {
        var path = OpaDecisionPath.Parse(config.Policy);
        if (path is null)
        {
            context.AddError("policy", "is empty or has an empty segment", "set the decision path, e.g. 'envoy/authz/allow' (data.envoy.authz.allow)");
        }

        if (config.Timeout <= TimeSpan.Zero)
        {
            context.AddError("timeout", "must be positive", "set a duration such as '500ms' or '5s'");
        }

        var remote = config.ServiceSource is not null || config.Host is not null || config.ServiceName is not null;
        var sources = new[] { ("rego", config.Rego is not null || config.Modules is not null || config.Data is not null), ("bundle", config.Bundle is not null), ("directory", config.Directory is not null) }
            .Where(s => s.Item2).Select(s => s.Item1).ToList();
        if (remote && sources.Count > 0)
        {
            context.AddError(sources[0], "is set together with a remote OPA (serviceSource/host/serviceName)", "use either an embedded policy source or a remote OPA, not both");
        }
        else if (!remote && sources.Count == 0)
        {
            context.AddError(string.Empty, "names no policy", "set one of rego, modules, bundle or directory (embedded), or serviceSource with host or serviceName (remote OPA)");
        }
        else if (sources.Count > 1)
        {
            context.AddError(sources[1], $"is set together with {sources[0]}", "use one embedded policy source (rego/modules/data, bundle or directory)");
        }

        if (config.Data is { IsObject: false })
        {
            context.AddError("data", "must be an object", "write data as a mapping, e.g. {roles: {alice: [admin]}}");
        }

        var remoteUri = remote ? RemoteUri(config, path, context) : null;
        CompiledPolicy? inline = null;
        if (!remote && sources is ["rego"] && !context.HasErrors)
        {
            inline = CompileInline(config, context);
        }

        if (config.Bundle is { } bundle && !IsUrl(bundle, out _) && !Path.IsPathRooted(bundle))
        {
            context.AddWarning("bundle", $"'{bundle}' is relative: it is read from the gateway's working directory", "use an absolute path");
        }

        return config with
        {
            Path = path ?? default,
            IsRemote = remote,
            RemoteUri = remoteUri,
            InlinePolicy = inline,
            Owner = context.InstanceId,
        };
    }

    /// <summary>True for an <c>http(s)</c> bundle URL.</summary>
    public static bool IsUrl(string bundle, out Uri? uri) =>
        Uri.TryCreate(bundle, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static CompiledPolicy? CompileInline(OpaConfig config, PluginConfigContext context)
    {
        var compiler = new PolicyCompiler();
        var fieldOf = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.Rego is { } rego)
        {
            compiler.AddModule(InlineModuleName, rego);
            fieldOf[InlineModuleName] = "rego";
        }

        foreach (var (name, text) in config.Modules ?? [])
        {
            compiler.AddModule(name, text);
            fieldOf[name] = $"modules.{name}";
        }

        if (config.Data is { } data)
        {
            compiler.AddData(RegoConvert.FromJson(data.Element));
        }

        try
        {
            return compiler.Compile();
        }
        catch (RegoException ex)
        {
            var field = ex.Location is { } location && fieldOf.TryGetValue(location.File, out var f) ? f : config.Rego is not null ? "rego" : "modules";
            context.AddError(field, "does not compile: " + OpaPolicy.Describe(ex), "fix the policy at that line and column (Rego v1 syntax)");
            return null;
        }
    }

    private static Uri? RemoteUri(OpaConfig config, OpaDecisionPath? path, PluginConfigContext context)
    {
        var source = config.ServiceSource ?? (config.Host is not null ? "ip" : "k8s");
        var port = config.ServicePort;
        string? authority = null;
        switch (source)
        {
            case "ip" or "route":
                if (string.IsNullOrWhiteSpace(config.Host))
                {
                    context.AddError("host", $"is required when serviceSource is '{source}'", "set the OPA server's address, e.g. 10.0.0.5");
                }
                else
                {
                    authority = port > 0 && !config.Host.Contains(':', StringComparison.Ordinal) ? $"{config.Host}:{port}" : config.Host;
                }

                break;
            case "k8s" or "nacos" or "dns":
                if (string.IsNullOrWhiteSpace(config.ServiceName))
                {
                    context.AddError("serviceName", $"is required when serviceSource is '{source}'", "name the OPA service, e.g. opa");
                }

                if (source != "dns" && string.IsNullOrWhiteSpace(config.Namespace))
                {
                    context.AddError("namespace", $"is required when serviceSource is '{source}'", "set the OPA service's namespace");
                }

                authority = source == "k8s" ? $"{config.ServiceName}.{config.Namespace}.svc.cluster.local" : config.ServiceName;
                break;
            default:
                context.AddError("serviceSource", $"'{source}' is not a service source", "use k8s, nacos, ip, dns or route");
                break;
        }

        if (source != "route" && port == 0)
        {
            context.AddError("servicePort", "is required for a remote OPA", "set the OPA server's port, e.g. 8181");
        }
        else if (source is "k8s" or "nacos" or "dns")
        {
            authority += $":{port}";
        }

        if (authority is null || path is null || context.HasErrors)
        {
            return null;
        }

        if (!Uri.TryCreate($"http://{authority}/v1/data/{path.Value.UrlPath}", UriKind.Absolute, out var uri))
        {
            context.AddError("host", $"'{authority}' is not a valid address", "set a host name or IP address, and the port in servicePort");
        }

        return uri;
    }
}
