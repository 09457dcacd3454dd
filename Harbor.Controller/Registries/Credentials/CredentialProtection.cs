using Harbor.Controller.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Harbor.Controller.Registries.Credentials;

/// <summary>
/// Encrypts registry secrets at rest with ASP.NET Core Data Protection. The key ring lives in
/// <c>&lt;data directory&gt;/keys</c>, created owner-only (0700) so only the controller's user can read it.
/// </summary>
internal static class CredentialProtection
{
    public const string Purpose = "Harbor.Controller.Registries.Credentials.v1";

    public static void AddCredentialProtection(this IHostApplicationBuilder builder)
    {
        var data = builder.Configuration.GetSection(DataOptions.SectionName).Get<DataOptions>() ?? new DataOptions();
        var keys = Path.Combine(data.ResolveDataDirectory(), "keys");
        CreateOwnerOnlyDirectory(keys);
        builder.Services.AddDataProtection()
            .SetApplicationName("Harbor.Controller")
            .PersistKeysToFileSystem(new DirectoryInfo(keys));
    }

    public static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // CreateDirectory leaves an existing directory's mode alone; tighten it.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
