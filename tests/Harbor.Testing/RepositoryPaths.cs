using System.Reflection;

namespace Harbor.Testing;

/// <summary>Where things are in the repository, found from the test binary's location.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test binary was built in, used for the other binaries too.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    public static string AgentAssembly
    {
        get
        {
            var path = Path.Combine(Root, "Harbor.Agent", "bin", Configuration, "net10.0", "Harbor.Agent.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the agent first: {path} is missing.", path);
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Harbor.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Harbor.sln not found above {AppContext.BaseDirectory}.");
    }
}
