using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Harbor.Controller.Registries.Credentials;

/// <summary>
/// Runs a <c>docker-credential-&lt;name&gt;</c> helper's <c>get</c> command (the Docker credential
/// helper protocol: server URL on stdin, <c>{"ServerURL","Username","Secret"}</c> on stdout).
/// </summary>
internal static partial class DockerCredentialHelper
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public sealed record Result(RegistryCredential? Credential, string? Problem);

    public static async Task<Result> GetAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        if (!HelperName().IsMatch(helper))
        {
            return new Result(null, $"'{helper}' is not a credential helper name");
        }

        var program = "docker-credential-" + helper;
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("get");

        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception)
        {
            return new Result(null, $"{program} is not installed on the controller's machine");
        }

        if (process is null)
        {
            return new Result(null, $"{program} could not be started");
        }

        using (process)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.StandardInput.WriteAsync(serverUrl);
                process.StandardInput.Close();
                var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
                var error = process.StandardError.ReadToEndAsync(timeout.Token);
                await process.WaitForExitAsync(timeout.Token);
                if (process.ExitCode != 0)
                {
                    var message = ((await output).Trim() + " " + (await error).Trim()).Trim();
                    return new Result(null, $"{program} has no credentials for it ({(message.Length > 200 ? message[..200] : message)})");
                }

                using var document = JsonDocument.Parse(await output);
                var username = document.RootElement.TryGetProperty("Username", out var u) ? u.GetString() : null;
                var secret = document.RootElement.TryGetProperty("Secret", out var s) ? s.GetString() : null;
                if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(secret))
                {
                    return new Result(null, $"{program} returned no username or secret");
                }

                return username == "<token>"
                    ? new Result(null, $"{program} holds an identity token (OAuth refresh token), which Harbor does not support; add a password or access token instead")
                    : new Result(new RegistryCredential(username, secret), null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return new Result(null, $"{program} did not answer within {Timeout.TotalSeconds:0} s");
            }
            catch (JsonException)
            {
                return new Result(null, $"{program} answered with something that is not the credential helper protocol");
            }
        }
    }

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}\z")]
    private static partial Regex HelperName();
}
