using Harbor.Controller.Inventory;
using Harbor.Controller.Policy;

namespace Harbor.Controller.Automation;

/// <summary>
/// Who depends on whom on one host, by container name: harbor.depends-on and Watchtower's depends-on (through
/// the effective policy) and Compose's depends_on label (a service name, mapped to the container that runs it
/// in the same project). The engine orders updates with it; <see cref="DependentRestarter"/> finds whom to restart.
/// </summary>
internal sealed class DependencyGraph(InventoryQueries inventory)
{
    /// <summary>Name → the names it depends on (itself excluded; names outside the host stay and are ignored by the sort).</summary>
    public async Task<Dictionary<string, IReadOnlyList<string>>> BuildAsync(
        string hostId, IEnumerable<(ContainerResponse Container, EffectivePolicy Policy)> containers, CancellationToken cancellationToken)
    {
        var list = containers.ToList();
        var graph = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var needsCompose = list.Any(c => c.Container.Labels.ContainsKey(PolicyLabels.Compose.DependsOn));
        var services = needsCompose ? await ComposeServicesAsync(hostId, cancellationToken) : [];
        foreach (var (container, effective) in list)
        {
            var names = new List<string>(effective.DependsOn);
            if (container.ComposeProject is { } project && container.Labels.TryGetValue(PolicyLabels.Compose.DependsOn, out var compose))
            {
                names.AddRange(DependencyOrder.ParseComposeDependsOn(compose)
                    .Select(service => services.GetValueOrDefault((project, service)))
                    .OfType<string>());
            }

            graph[container.Name] = [.. names.Distinct(StringComparer.Ordinal).Where(n => n != container.Name)];
        }

        return graph;
    }

    /// <summary>
    /// A topological order of <paramref name="graph"/> (dependencies first, ties in <paramref name="order"/>). The
    /// members of a cycle are taken out of the graph and returned with the reason; the rest is still ordered.
    /// </summary>
    public static (IReadOnlyList<string> Order, Dictionary<string, string> Problems) SortSkippingCycles(
        Dictionary<string, IReadOnlyList<string>> graph, IEnumerable<string> order)
    {
        var names = order.ToList();
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            try
            {
                return (DependencyOrder.Sort(graph, names), problems);
            }
            catch (DependencyCycleException e)
            {
                // Take the cycle out and sort the rest: unrelated containers still go ahead.
                foreach (var name in e.Cycle.Distinct(StringComparer.Ordinal))
                {
                    problems[name] = e.Message;
                    graph.Remove(name);
                }
            }
        }
    }

    private async Task<Dictionary<(string Project, string Service), string>> ComposeServicesAsync(string hostId, CancellationToken cancellationToken)
    {
        var page = await inventory.ListContainersAsync(new ContainerQuery { Host = hostId, PageSize = ContainerQuery.MaxPageSize }, visibleHosts: null, cancellationToken);
        var map = new Dictionary<(string, string), string>();
        foreach (var container in page.Items.Where(c => c.ComposeProject is not null && c.ComposeService is not null))
        {
            map.TryAdd((container.ComposeProject!, container.ComposeService!), container.Name);
        }

        return map;
    }
}
