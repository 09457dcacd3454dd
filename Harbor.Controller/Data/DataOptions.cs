namespace Harbor.Controller.Data;

/// <summary>Section <c>Harbor:Controller</c>: where the controller keeps its state.</summary>
internal sealed class DataOptions
{
    public const string SectionName = "Harbor:Controller";

    /// <summary>Directory for the SQLite database and generated secrets. Defaults to ~/.local/share/harbor/controller.</summary>
    public string? DataDirectory { get; set; }

    public string ResolveDataDirectory() =>
        string.IsNullOrWhiteSpace(DataDirectory)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "harbor", "controller")
            : Path.GetFullPath(DataDirectory);

    public string DatabasePath => Path.Combine(ResolveDataDirectory(), "harbor.db");
}
