namespace Harbor.Bench;

/// <summary>Issue 3's inventory benchmark (filled in by the lead).</summary>
internal static class InventoryBenchmark
{
    public static Task RunAsync()
    {
        Console.WriteLine("not implemented yet");
        return Task.CompletedTask;
    }
}
