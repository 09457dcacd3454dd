using System.Collections.Concurrent;

namespace Harbor.Testing;

/// <summary>
/// Images for tests, built locally (nothing can be pulled from Docker Hub here): a base image from
/// Debian's busybox-static, then small images FROM it. Built once per engine, shared by every test.
/// </summary>
public static class TestImages
{
    public const string Base = "harbor-test/busybox:base";
    public const string TestLabel = "harbor.test";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly ConcurrentDictionary<string, Task<string>> Built = new(StringComparer.Ordinal);

    private static readonly string[] Applets =
        ["sh", "ls", "cat", "echo", "sleep", "httpd", "wget", "nc", "env", "true", "false", "ps", "grep", "kill", "id",
         "hostname", "nslookup", "ping", "mkdir", "rm", "touch", "date", "test", "[", "printf", "head", "tail", "sed", "ip"];

    /// <summary>Bumped whenever the base image's contents change, so a machine's older build is replaced.</summary>
    private const string BaseLayout = "2";
    private const string BaseLayoutLabel = "harbor.test.base-layout";

    /// <summary>Makes sure <see cref="Base"/> exists; returns its image id.</summary>
    public static Task<string> EnsureBaseAsync() => Built.GetOrAdd(Base, _ => BuildBaseAsync());

    /// <summary>Builds (once per process) an image from a Dockerfile whose FROM is <see cref="Base"/>. Returns the image id.</summary>
    public static Task<string> BuildAsync(string tag, string dockerfile) =>
        Built.GetOrAdd(tag + "\n" + dockerfile, _ => BuildFromDockerfileAsync(tag, dockerfile));

    private static async Task<string> BuildBaseAsync()
    {
        await Gate.WaitAsync();
        try
        {
            // Reuse the base only when it has this layout: an older build (without /www, /data) would fail tests oddly.
            var existing = await DockerCli.RunAsync("image", "inspect", "--format", "{{.Id}} {{index .Config.Labels \"" + BaseLayoutLabel + "\"}}", Base);
            if (existing.ExitCode == 0 && existing.Trimmed.EndsWith(" " + BaseLayout, StringComparison.Ordinal))
            {
                return existing.Trimmed.Split(' ')[0];
            }

            var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("busybox-static is not installed (apt-get install busybox-static); eng/test.sh installs it.");
            using var rootfs = new TempDirectory("rootfs");
            Directory.CreateDirectory(Path.Combine(rootfs.Path, "bin"));
            Directory.CreateDirectory(Path.Combine(rootfs.Path, "etc"));
            Directory.CreateDirectory(Path.Combine(rootfs.Path, "tmp"));
            Directory.CreateDirectory(Path.Combine(rootfs.Path, "data"));
            Directory.CreateDirectory(Path.Combine(rootfs.Path, "www"));
            File.Copy(busybox, Path.Combine(rootfs.Path, "bin", "busybox"));
            foreach (var applet in Applets)
            {
                File.CreateSymbolicLink(Path.Combine(rootfs.Path, "bin", applet), "busybox");
            }

            await File.WriteAllTextAsync(Path.Combine(rootfs.Path, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
            await File.WriteAllTextAsync(Path.Combine(rootfs.Path, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n");
            await File.WriteAllTextAsync(Path.Combine(rootfs.Path, "www", "index.html"), "harbor test\n");

            using var tar = new TempDirectory("rootfs-tar");
            var tarPath = Path.Combine(tar.Path, "rootfs.tar");
            await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(rootfs.Path, tarPath, includeBaseDirectory: false);
            await DockerCli.CheckedAsync("import", "--change", "ENV PATH=/bin", "--change", "CMD [\"sh\"]", "--change", $"LABEL {BaseLayoutLabel}={BaseLayout}", tarPath, Base);
            return await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", Base);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> BuildFromDockerfileAsync(string tag, string dockerfile)
    {
        await EnsureBaseAsync();
        await DockerCli.CheckedWithInputAsync(dockerfile, "build", "-q", "-t", tag, "-");
        return await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", tag);
    }
}
