namespace Harbor.Controller.Policy;

/// <summary>How an update replaces a container: "recreate" or "blue-green" (the names labels, rules, the API and the wire use).</summary>
internal sealed record UpdateStrategy(string Name)
{
    public static readonly UpdateStrategy Recreate = new("recreate");

    public static readonly UpdateStrategy BlueGreen = new("blue-green");

    public bool IsBlueGreen => this == BlueGreen;

    public static bool TryParse(string text, out UpdateStrategy value, out string? error)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        (value, error) = trimmed switch
        {
            "recreate" => (Recreate, (string?)null),
            "blue-green" or "bluegreen" => (BlueGreen, null),
            _ => (Recreate, $"'{text}' is not an update strategy; use recreate or blue-green."),
        };
        return error is null;
    }

    public override string ToString() => Name;
}
