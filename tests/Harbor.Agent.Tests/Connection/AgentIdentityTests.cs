using Harbor.Agent.Connection;

namespace Harbor.Agent.Tests.Connection;

public sealed class AgentIdentityTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "harbor-identity-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void LoadOrCreate_SameDirectory_ReturnsSameIdAcrossRestarts()
    {
        var first = AgentIdentity.LoadOrCreate(directory);
        var second = AgentIdentity.LoadOrCreate(directory);

        Assert.Equal(first, second);
        Assert.True(AgentIdentity.IsValid(first));
    }

    [Fact]
    public void LoadOrCreate_NewDirectories_GiveDifferentIds()
    {
        var other = directory + "-other";
        try
        {
            Assert.NotEqual(AgentIdentity.LoadOrCreate(directory), AgentIdentity.LoadOrCreate(other));
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void LoadOrCreate_CorruptIdFile_RefusesWithTheFileToDelete()
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, AgentIdentity.FileName), "not a valid id!\n");

        var error = Assert.Throws<InvalidOperationException>(() => AgentIdentity.LoadOrCreate(directory));

        Assert.Contains(AgentIdentity.FileName, error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
