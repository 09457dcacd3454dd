using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Docker;

/// <summary>
/// Turns credentials into the engine's <c>X-Registry-Auth</c> header. The engine itself never reads
/// the host's Docker config (that is the CLI's job), so for a pull without credentials from the
/// controller the agent reads it the way the CLI does: <c>auths</c> entries, then <c>credHelpers</c> /
/// <c>credsStore</c> through their <c>docker-credential-*</c> programs.
/// </summary>
internal sealed class RegistryCredentials(IOptions<DockerOptions> options, ILogger<RegistryCredentials> logger)
{
    /// <summary>The key Docker's config uses for Docker Hub.</summary>
    public const string DockerHubConfigKey = "https://index.docker.io/v1/";

    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The header for explicit credentials.</summary>
    public static string EncodeHeader(string serverAddress, string? username, string? password, string? identityToken)
    {
        var auth = new JsonObject { ["serveraddress"] = serverAddress };
        if (!string.IsNullOrEmpty(identityToken))
        {
            auth["identitytoken"] = identityToken;
        }
        else
        {
            auth["username"] = username ?? "";
            auth["password"] = password ?? "";
        }

        // The engine decodes base64 with the URL alphabet and padding.
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(auth.ToJsonString())).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The header from the host's Docker config for this registry, or null when it has none.</summary>
    public async Task<string?> FromDockerConfigAsync(string registry, CancellationToken cancellationToken)
    {
        var path = options.Value.ResolveConfigFile();
        if (!File.Exists(path))
        {
            return null;
        }

        JsonObject? config;
        try
        {
            config = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken)) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            Diagnostics.Log.DockerConfigUnreadable(logger, path, e.Message);
            return null;
        }

        if (config is null)
        {
            return null;
        }

        var keys = ConfigKeys(registry);
        if (FindHelper(config, keys) is { } helper)
        {
            return await FromHelperAsync(helper, keys[0], cancellationToken);
        }

        foreach (var key in keys)
        {
            if (config["auths"]?[key] is JsonObject entry)
            {
                return FromAuthsEntry(entry, key);
            }
        }

        return null;
    }

    /// <summary>The keys a registry may be stored under, most specific first.</summary>
    internal static string[] ConfigKeys(string registry) =>
        registry == "docker.io"
            ? [DockerHubConfigKey, "docker.io", "index.docker.io", "registry-1.docker.io"]
            : [registry, "https://" + registry, "http://" + registry];

    internal static string? FromAuthsEntry(JsonObject entry, string serverAddress)
    {
        if (entry["identitytoken"]?.GetValue<string>() is { Length: > 0 } token)
        {
            return EncodeHeader(serverAddress, null, null, token);
        }

        if (entry["auth"]?.GetValue<string>() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : EncodeHeader(serverAddress, decoded[..colon], decoded[(colon + 1)..], null);
        }

        return entry["username"]?.GetValue<string>() is { } username
            ? EncodeHeader(serverAddress, username, entry["password"]?.GetValue<string>(), null)
            : null;
    }

    private static string? FindHelper(JsonObject config, string[] keys)
    {
        foreach (var key in keys)
        {
            if (config["credHelpers"]?[key]?.GetValue<string>() is { Length: > 0 } helper)
            {
                return helper;
            }
        }

        return config["credsStore"]?.GetValue<string>() is { Length: > 0 } store ? store : null;
    }

    private async Task<string?> FromHelperAsync(string helper, string serverAddress, CancellationToken cancellationToken)
    {
        // Only a plain program name: the config must not be able to run an arbitrary path.
        if (helper.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            return null;
        }

        var start = new ProcessStartInfo("docker-credential-" + helper, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process? process = null;
        try
        {
            process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            await process.StandardInput.WriteAsync(serverAddress);
            process.StandardInput.Close();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(HelperTimeout);
            var output = await process.StandardOutput.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            if (process.ExitCode != 0 || JsonNode.Parse(output) is not JsonObject answer)
            {
                return null;
            }

            var username = answer["Username"]?.GetValue<string>();
            var secret = answer["Secret"]?.GetValue<string>();
            // By the helper protocol's convention a "<token>" username means the secret is an identity token.
            return username == "<token>"
                ? EncodeHeader(serverAddress, null, null, secret)
                : EncodeHeader(serverAddress, username, secret, null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or JsonException or OperationCanceledException)
        {
            Diagnostics.Log.CredentialHelperFailed(logger, helper, e.Message);
            return null;
        }
        finally
        {
            if (process is { HasExited: false })
            {
                process.Kill();
            }

            process?.Dispose();
        }
    }
}
