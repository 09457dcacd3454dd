namespace Harbor.Controller.Checks;

/// <summary>Live counters of a running check, read by <c>GET /api/v1/checks/{id}</c> while it runs.</summary>
internal sealed class CheckRunProgress
{
    private int containers;
    private int referencesTotal;
    private int referencesDone;
    private int registryRequests;
    private readonly int[] statusCounts = new int[5];

    public int Containers => Volatile.Read(ref containers);

    public int ReferencesTotal => Volatile.Read(ref referencesTotal);

    public int ReferencesDone => Volatile.Read(ref referencesDone);

    public int RegistryRequests => Volatile.Read(ref registryRequests);

    public void Planned(int containerCount, int referenceCount)
    {
        Volatile.Write(ref containers, containerCount);
        Volatile.Write(ref referencesTotal, referenceCount);
    }

    public void ReferenceDone() => Interlocked.Increment(ref referencesDone);

    public void RegistryRequest() => Interlocked.Increment(ref registryRequests);

    public void Count(string status) => Interlocked.Increment(ref statusCounts[Index(status)]);

    public int CountOf(string status) => Volatile.Read(ref statusCounts[Index(status)]);

    private static int Index(string status) => status switch
    {
        UpdateStatus.UpToDate => 0,
        UpdateStatus.UpdateAvailable => 1,
        UpdateStatus.Pinned => 2,
        UpdateStatus.Local => 3,
        _ => 4,
    };
}
