using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Core.Translation;

/// <summary>
/// The heart of Higress.Net: a pure function from a <see cref="ResourceSnapshot"/> to a <see cref="GatewayPlan"/> with
/// every object's status and every problem found. No I/O, no clock, no DI: the same snapshot always gives the same plan.
/// </summary>
internal static class Translator
{
    /// <summary>Translates a snapshot.</summary>
    /// <param name="snapshot">The objects.</param>
    /// <param name="options">Controller settings.</param>
    /// <param name="catalog">The plugins available to Extensions and inline plugin instances; built-ins only when null.</param>
    public static TranslationResult Translate(ResourceSnapshot snapshot, TranslatorOptions? options = null, PluginCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        options ??= new TranslatorOptions();
        var context = new TranslationContext(snapshot, options);
        context.Diagnostics.AddRange(snapshot.Diagnostics);

        var listeners = ListenerBuilder.Build(context);
        var listenerGateways = listeners.ToDictionary(l => l.Plan.Id, l => l.Plan.Gateway, StringComparer.Ordinal);
        var attacher = new RouteAttacher(context, listeners);
        var backends = new BackendResolver(context);
        var plugins = new RulePlugins(context, catalog ?? new PluginCatalog([]), listenerGateways);
        var http = new HttpRouteTranslator(context, attacher, backends, plugins);
        var native = new NativeRouteTranslator(context, attacher, backends, plugins);
        var streams = new StreamRouteTranslator(context, attacher, backends);
        var streamRoutes = new List<StreamRoutePlan>();

        foreach (var entry in snapshot.OfType<ServiceEntry>())
        {
            ServiceEntryChecks.Check(context, entry);
        }

        var routes = new List<RoutePlan>();
        native.TranslateInline(listeners, routes);
        foreach (var route in snapshot.OfType<Route>())
        {
            native.Translate(route, routes);
            streams.Translate(route, streamRoutes);
        }

        foreach (var route in snapshot.OfType<TcpRoute>())
        {
            streams.Translate(route, streamRoutes);
        }

        foreach (var route in snapshot.OfType<TlsRoute>())
        {
            streams.Translate(route, streamRoutes);
        }

        foreach (var route in snapshot.OfType<HttpRoute>())
        {
            http.Translate(route, routes);
        }

        foreach (var route in snapshot.OfType<GrpcRoute>())
        {
            http.Translate(route, routes);
        }

        var udpRoutes = new UdpRouteTranslator(context, attacher).TranslateAll();

        foreach (var listener in listeners)
        {
            if (listener.UnsupportedKinds() is { Count: > 0 } unsupported)
            {
                var kinds = string.Join(", ", unsupported);
                context.Status(listener.Gateway).SetParent(listener.StatusKey, "ResolvedRefs", false, "InvalidRouteKinds", $"allowedRoutes.kinds: {kinds} cannot attach to a {listener.Plan.Protocol} listener");
                context.Warning(listener.Gateway, $"spec.listeners[{listener.Index}].allowedRoutes.kinds", $"{kinds} cannot attach to a {listener.Plan.Protocol} listener", "list HTTPRoute or GRPCRoute");
            }

            context.Status(listener.Gateway).SetParent(listener.StatusKey, "ResolvedRefs", true, "ResolvedRefs", $"{listener.AttachedRoutes} route(s) attached");
            context.Status(listener.Gateway).SetAttachedRoutes(listener.StatusKey, listener.AttachedRoutes);
        }

        ReportDroppedObjects(context);
        var usable = listeners.Where(l => l.Usable).Select(l => l.Plan).ToList();
        usable.AddRange(SidecarTranslator.Apply(context, backends, usable, routes));
        foreach (var gateway in listeners.GroupBy(l => l.Gateway))
        {
            var open = gateway.Count(l => l.Usable);
            context.Status(gateway.Key).Set("Programmed", open > 0, open > 0 ? "Programmed" : "Invalid", $"{open} of {gateway.Count()} listener(s) open");
        }

        var plan = new GatewayPlan(
            options.Generation,
            usable.ToEquatableArray(),
            routes.ToEquatableArray(),
            backends.Clusters.Values.OrderBy(c => c.Id, StringComparer.Ordinal).ToEquatableArray())
        {
            UdpRoutes = udpRoutes,
            StreamRoutes = streamRoutes.ToEquatableArray(),
        };
        return new TranslationResult(plan, context.BuildStatuses(), context.Diagnostics.ToEquatableArray());
    }

    /// <summary>
    /// An object the reader dropped (e.g. a regex that does not compile) never reaches translation; give it a status
    /// anyway, so that whoever looks at the object (not only at <c>/config_dump</c>'s errors) sees why it is not served.
    /// </summary>
    private static void ReportDroppedObjects(TranslationContext context)
    {
        var present = context.Snapshot.Resources.Select(r => r.Display).ToHashSet(StringComparer.Ordinal);
        foreach (var dropped in context.Snapshot.Diagnostics.Where(d => d.IsError && d.Object.Contains(' ', StringComparison.Ordinal) && !present.Contains(d.Object)))
        {
            var path = dropped.FieldPath.Length == 0 ? string.Empty : dropped.FieldPath + ": ";
            var fix = string.IsNullOrEmpty(dropped.Fix) ? string.Empty : "; " + dropped.Fix;
            context.Status(dropped.Object).Set("Accepted", false, "Invalid", $"{path}{dropped.Message}{fix}; the object is not served");
        }
    }
}
