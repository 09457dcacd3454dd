using Harbor.Bench;

// Each benchmark is one class with RunAsync; add new ones to this table.
var benchmarks = new Dictionary<string, Func<Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["inventory"] = InventoryBenchmark.RunAsync,
    ["update"] = UpdateBenchmark.RunAsync,
    ["detection"] = DetectionBenchmark.RunAsync,
    ["auth"] = AuthBenchmark.RunAsync,
    ["automation"] = AutomationBenchmark.RunAsync,
    ["notifications"] = NotificationBenchmark.RunAsync,
    ["tracing"] = TracingBenchmark.RunAsync,
    ["ui"] = UiBenchmark.RunAsync,
    ["schedule"] = ScheduleBenchmark.RunAsync,
};

var selected = args.Length == 0 ? [.. benchmarks.Keys] : args;
foreach (var name in selected)
{
    if (!benchmarks.TryGetValue(name, out var run))
    {
        Console.Error.WriteLine($"Unknown benchmark '{name}'. Known: {string.Join(", ", benchmarks.Keys)}");
        return 2;
    }

    Console.WriteLine($"== {name}");
    await run();
}

return 0;
