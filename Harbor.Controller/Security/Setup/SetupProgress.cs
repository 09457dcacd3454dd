using Harbor.Controller.Settings;

namespace Harbor.Controller.Security.Setup;

/// <summary>
/// Where the first-run wizard stands, kept in the database so closing the browser (or restarting the
/// controller) resumes at the same step. No row: the wizard was never started (the admin was created
/// through the API), and nothing asks the user to continue it.
/// </summary>
internal sealed class SetupProgress(SettingsStore settings)
{
    public const string Key = "setup.step";
    public const string Done = "done";

    public Task<string?> GetAsync(CancellationToken cancellationToken) => settings.GetAsync(Key, cancellationToken);

    public Task SetAsync(string step, string? by, CancellationToken cancellationToken) => settings.SetAsync(Key, step.ToLowerInvariant(), by, cancellationToken);
}
