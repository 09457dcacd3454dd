using System.Diagnostics;

namespace Harbor.Testing;

/// <summary>
/// A real mosquitto (Debian's package) on a free loopback port with a configuration of its own:
/// anonymous clients refused, one user from mosquitto_passwd, nothing persisted.
/// </summary>
public sealed class MqttBroker : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly Process process;

    private MqttBroker(TempDirectory directory, Process process, int port, string username, string password)
    {
        this.directory = directory;
        this.process = process;
        Port = port;
        Username = username;
        Password = password;
    }

    public int Port { get; }

    public string Username { get; }

    public string Password { get; }

    public static async Task<MqttBroker> StartAsync(string username = "harbor", string password = "mqtt-secret-1")
    {
        if (!File.Exists("/usr/sbin/mosquitto") || !File.Exists("/usr/bin/mosquitto_passwd"))
        {
            throw new InvalidOperationException("mosquitto is not installed (apt-get install mosquitto); eng/test.sh installs it.");
        }

        var directory = new TempDirectory("mosquitto");
        var port = RegistryServer.FreePort();
        var passwords = directory.Combine("passwords");
        await LocalProcess.RunAsync("/usr/bin/mosquitto_passwd", "-c", "-b", passwords, username, password);
        var config = directory.Combine("mosquitto.conf");
        // As root mosquitto would switch to its own user, which cannot read the temp directory.
        var user = Environment.UserName == "root" ? "user root\n" : "";
        await File.WriteAllTextAsync(config, $"""
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {passwords}
            persistence false
            log_dest stdout
            {user}
            """);
        var output = new List<string>();
        var process = LocalProcess.Start("/usr/sbin/mosquitto", ["-c", config], output);
        var broker = new MqttBroker(directory, process, port, username, password);
        try
        {
            await LocalProcess.WaitForPortAsync(port, process, output, "mosquitto");
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        directory.Dispose();
    }
}
