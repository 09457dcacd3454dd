namespace Harbor.Testing;

/// <summary>Unique, recognisable names so parallel tests on one engine never collide.</summary>
public static class TestNames
{
    public static string Unique(string purpose) => $"harbor-test-{purpose}-{Guid.NewGuid().ToString("N")[..8]}";
}
