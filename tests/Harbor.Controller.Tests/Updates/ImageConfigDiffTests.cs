using System.Text;
using Harbor.Controller.Inventory;
using Harbor.Controller.Updates.Preview;

namespace Harbor.Controller.Tests.Updates;

/// <summary>The update preview's comparison of two image configs (as registries serve the config blob).</summary>
public sealed class ImageConfigDiffTests
{
    private const string Old = """
        {"architecture":"amd64","os":"linux","config":{
          "Env":["PATH=/bin","GREETING=v1","REMOVED=x"],
          "ExposedPorts":{"80/tcp":{},"9000/tcp":{}},
          "Volumes":{"/data":{}},
          "Entrypoint":["/init"],"Cmd":["httpd","-f"],
          "User":"app","WorkingDir":"/srv",
          "Labels":{"app.version":"1","app.vendor":"harbor","tier":"web"},
          "Healthcheck":{"Test":["CMD","true"],"Interval":5000000000,"Retries":3}}}
        """;

    private const string New = """
        {"architecture":"amd64","os":"linux","config":{
          "Env":["PATH=/bin","GREETING=v2","ADDED=y"],
          "ExposedPorts":{"80/tcp":{},"8080/tcp":{}},
          "Volumes":{"/data":{},"/cache":{}},
          "Entrypoint":["/init"],"Cmd":["httpd","-f","-v"],
          "User":"root","WorkingDir":"/srv",
          "Labels":{"app.version":"2","app.vendor":"harbor","tier":"api"},
          "Healthcheck":{"Test":["CMD","true"],"Interval":10000000000,"Retries":3}}}
        """;

    [Fact]
    public void Compare_TwoConfigs_ListsOnlyWhatDiffers()
    {
        var changes = ImageConfigDiff.Compare(Parse(Old), Parse(New), new Dictionary<string, string>(), []);

        Assert.Equal(
        [
            new ConfigChange("env", "ADDED", null, "y", false),
            new ConfigChange("env", "GREETING", "v1", "v2", false),
            new ConfigChange("env", "REMOVED", "x", null, false),
            new ConfigChange("exposed port", "9000/tcp", "9000/tcp", null, false),
            new ConfigChange("exposed port", "8080/tcp", null, "8080/tcp", false),
            new ConfigChange("volume", "/cache", null, "/cache", false),
            new ConfigChange("cmd", null, "[\"httpd\", \"-f\"]", "[\"httpd\", \"-f\", \"-v\"]", false),
            new ConfigChange("user", null, "app", "root", false),
            new ConfigChange("label", "app.version", "1", "2", false),
            new ConfigChange("label", "tier", "web", "api", false),
            new ConfigChange("healthcheck", null, "CMD true, interval 5 s, retries 3", "CMD true, interval 10 s, retries 3", false),
        ], changes);
    }

    [Fact]
    public void Compare_LabelTheContainerSetsItself_IsMarkedOverridden_ImageLabelsAreNot()
    {
        // The engine merges image labels with the container's: tier=web is the image's, app.version=mine the container's.
        var containerLabels = new Dictionary<string, string> { ["app.version"] = "mine", ["tier"] = "web", ["app.vendor"] = "harbor" };
        var ports = new[] { new PortResponse(9000, "tcp", "0.0.0.0", 9000) };

        var changes = ImageConfigDiff.Compare(Parse(Old), Parse(New), containerLabels, ports);

        Assert.True(changes.Single(c => c.Key == "app.version").Overridden);
        Assert.False(changes.Single(c => c.Key == "tier").Overridden);
        Assert.True(changes.Single(c => c.Key == "9000/tcp").Overridden);
    }

    [Fact]
    public void Compare_SameConfig_NoChanges()
    {
        Assert.Empty(ImageConfigDiff.Compare(Parse(Old), Parse(Old), new Dictionary<string, string>(), []));
    }

    [Fact]
    public void Parse_NotAConfig_IsAFormatError()
    {
        Assert.Throws<FormatException>(() => ImageConfig.Parse("[1,2]"u8));
        Assert.Throws<FormatException>(() => ImageConfig.Parse("{"u8));
    }

    private static ImageConfig Parse(string json) => ImageConfig.Parse(Encoding.UTF8.GetBytes(json));
}
