namespace Harbor.Controller.Policy;

/// <summary>
/// Orders containers so that each is updated after what it depends on (harbor.depends-on,
/// Watchtower's depends-on and Compose's depends_on), and finds who must restart after a change.
/// </summary>
internal static class DependencyOrder
{
    /// <summary>
    /// A topological order of <paramref name="dependsOn"/>'s keys (dependencies first; ties keep the
    /// given order). Dependencies outside the set are ignored. Throws <see cref="DependencyCycleException"/>
    /// naming the cycle.
    /// </summary>
    public static IReadOnlyList<string> Sort(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn, IEnumerable<string>? order = null)
    {
        var names = (order ?? dependsOn.Keys).Where(dependsOn.ContainsKey).ToList();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = visiting, 2 = done
        var result = new List<string>(names.Count);
        var path = new List<string>();

        void Visit(string name)
        {
            switch (state.GetValueOrDefault(name))
            {
                case 2:
                    return;
                case 1:
                    var start = path.IndexOf(name);
                    throw new DependencyCycleException([.. path[start..], name]);
            }

            state[name] = 1;
            path.Add(name);
            foreach (var dependency in dependsOn[name].Where(dependsOn.ContainsKey))
            {
                Visit(dependency);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            result.Add(name);
        }

        foreach (var name in names)
        {
            Visit(name);
        }

        return result;
    }

    /// <summary>Everything that depends, directly or not, on <paramref name="changed"/>, in restart order.</summary>
    public static IReadOnlyList<string> Dependents(IReadOnlyDictionary<string, IReadOnlyList<string>> dependsOn, string changed)
    {
        var affected = new HashSet<string>(StringComparer.Ordinal);
        var frontier = new Queue<string>([changed]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var (name, dependencies) in dependsOn)
            {
                if (dependencies.Contains(current, StringComparer.Ordinal) && affected.Add(name))
                {
                    frontier.Enqueue(name);
                }
            }
        }

        return [.. Sort(dependsOn).Where(affected.Contains)];
    }

    /// <summary>Compose's depends_on label: "db:service_started:false,cache:service_healthy:true" → [db, cache].</summary>
    public static IReadOnlyList<string> ParseComposeDependsOn(string label) =>
        [.. label.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(entry => entry.Split(':')[0])
            .Where(service => service.Length > 0)
            .Distinct(StringComparer.Ordinal)];
}

/// <summary>Containers depend on each other in a circle; no update order exists.</summary>
internal sealed class DependencyCycleException : Exception
{
    public DependencyCycleException(IReadOnlyList<string> cycle)
        : base($"Dependency cycle: {string.Join(" → ", cycle)}. Remove one of these depends-on labels.") => Cycle = cycle;

    public DependencyCycleException() : this([])
    {
    }

    public DependencyCycleException(string message) : base(message) => Cycle = [];

    public DependencyCycleException(string message, Exception innerException) : base(message, innerException) => Cycle = [];

    public IReadOnlyList<string> Cycle { get; }
}
