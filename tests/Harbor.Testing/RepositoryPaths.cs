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

    /// <summary>
    /// The agent as a program and its leading arguments: <c>dotnet Harbor.Agent.dll</c> (the JIT build), or the native
    /// executable named by <c>HARBOR_AGENT_EXECUTABLE</c> (e.g. the NativeAOT publish), to run the same tests and
    /// benchmarks against what the container image ships.
    /// </summary>
    public static (string FileName, string[] Arguments) AgentCommand =>
        Environment.GetEnvironmentVariable("HARBOR_AGENT_EXECUTABLE") is { Length: > 0 } executable
            ? (File.Exists(executable) ? executable : throw new FileNotFoundException($"HARBOR_AGENT_EXECUTABLE: {executable} is missing.", executable), [])
            : ("dotnet", [AgentAssembly]);

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
