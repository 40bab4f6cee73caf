using Higress.Core.Plan;
using Higress.Core.Plugins;
using Higress.Core.Routing;

namespace Higress.Hosting.Runtime;

/// <summary>What a rule needs at request time beyond its plan: built once per plan.</summary>
internal sealed class RouteRuntime(RoutePlan route, PluginChain plugins)
{
    public RoutePlan Route { get; } = route;

    public PluginChain Plugins { get; } = plugins;

    public BackendPicker? Backends { get; } = route.Action is ForwardAction forward ? new BackendPicker(forward.Backends) : null;
}
