using Harbor.Controller.Policy;

namespace Harbor.Controller.Tests.Policy;

public sealed class DependencyOrderTests
{
    private static Dictionary<string, IReadOnlyList<string>> Graph(params (string Name, string[] DependsOn)[] nodes) =>
        nodes.ToDictionary(n => n.Name, n => (IReadOnlyList<string>)n.DependsOn, StringComparer.Ordinal);

    [Fact]
    public void Sort_PutsDependenciesFirst()
    {
        var order = DependencyOrder.Sort(Graph(("web", ["api"]), ("api", ["db", "cache"]), ("db", []), ("cache", []), ("worker", ["db"])));

        Assert.True(order.ToList().IndexOf("db") < order.ToList().IndexOf("api"));
        Assert.True(order.ToList().IndexOf("cache") < order.ToList().IndexOf("api"));
        Assert.True(order.ToList().IndexOf("api") < order.ToList().IndexOf("web"));
        Assert.True(order.ToList().IndexOf("db") < order.ToList().IndexOf("worker"));
        Assert.Equal(5, order.Count);
    }

    [Fact]
    public void Sort_Cycle_IsRejectedNamingTheCycle()
    {
        var error = Assert.Throws<DependencyCycleException>(() => DependencyOrder.Sort(Graph(("a", ["b"]), ("b", ["c"]), ("c", ["a"]), ("d", []))));

        Assert.Equal(["a", "b", "c", "a"], error.Cycle);
        Assert.Contains("a → b → c → a", error.Message);
    }

    [Fact]
    public void Sort_UnknownDependencies_AreIgnored()
    {
        Assert.Equal(["web"], DependencyOrder.Sort(Graph(("web", ["not-on-this-host"]))));
    }

    [Fact]
    public void Dependents_AreEveryoneDownstream_InRestartOrder()
    {
        var graph = Graph(("web", ["api"]), ("api", ["db"]), ("db", []), ("other", []));

        Assert.Equal(["api", "web"], DependencyOrder.Dependents(graph, "db"));
        Assert.Empty(DependencyOrder.Dependents(graph, "web"));
    }

    [Theory]
    [InlineData("db:service_started:false,cache:service_healthy:true", new[] { "db", "cache" })]
    [InlineData("db", new[] { "db" })]
    [InlineData("", new string[0])]
    public void ParseComposeDependsOn_ReadsServiceNames(string label, string[] expected) =>
        Assert.Equal(expected, DependencyOrder.ParseComposeDependsOn(label));
}
