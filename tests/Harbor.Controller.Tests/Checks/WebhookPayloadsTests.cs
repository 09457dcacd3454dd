using System.Text.Json;
using Harbor.Controller.Checks;

namespace Harbor.Controller.Tests.Checks;

/// <summary>Each source's real payload shape becomes the pushed repository; other events become nothing.</summary>
public sealed class WebhookPayloadsTests
{
    [Theory]
    [InlineData("dockerhub", null, """{"callback_url":"https://registry.hub.docker.com/u/user/app/hook/1/","push_data":{"pushed_at":1,"pusher":"user","tag":"latest"},"repository":{"repo_name":"user/app","namespace":"user","name":"app"}}""", "docker.io/user/app:latest")]
    [InlineData("dockerhub", null, """{"push_data":{"tag":"1.27"},"repository":{"repo_name":"nginx"}}""", "docker.io/library/nginx:1.27")]
    [InlineData("github", "registry_package", """{"action":"published","registry_package":{"name":"app","namespace":"Octo","package_type":"container","package_version":{"container_metadata":{"tag":{"name":"v2","digest":"sha256:1"}}}}}""", "ghcr.io/octo/app:v2")]
    [InlineData("github", "package", """{"action":"updated","package":{"name":"app","owner":{"login":"octo"},"package_type":"CONTAINER","package_version":{"container_metadata":{"tag":{"name":""}}}}}""", "ghcr.io/octo/app")]
    [InlineData("harbor", null, """{"type":"PUSH_ARTIFACT","occur_at":1,"operator":"admin","event_data":{"resources":[{"digest":"sha256:1","tag":"v1","resource_url":"harbor.example.com/library/app:v1"}],"repository":{"name":"app","namespace":"library","repo_full_name":"library/app","repo_type":"private"}}}""", "harbor.example.com/library/app:v1")]
    [InlineData("distribution", null, """{"events":[{"action":"push","target":{"mediaType":"application/vnd.oci.image.index.v1+json","repository":"team/app","url":"https://reg.example:5000/v2/team/app/manifests/sha256:1"}}]}""", "reg.example:5000/team/app")]
    public void Parse_PushEvent_NamesTheRepository(string source, string? githubEvent, string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        var outcome = WebhookPayloads.Parse(source, document.RootElement, githubEvent);

        Assert.Null(outcome.Error);
        Assert.Equal(expected, Assert.Single(outcome.Pushed).ToString());
    }

    [Theory]
    [InlineData("github", "ping", """{"zen":"Keep it logically awesome.","hook_id":1}""")]
    [InlineData("github", "package", """{"action":"published","package":{"name":"lib","namespace":"octo","package_type":"npm"}}""")]
    [InlineData("harbor", null, """{"type":"PULL_ARTIFACT","event_data":{"resources":[]}}""")]
    [InlineData("distribution", null, """{"events":[{"action":"pull","target":{"repository":"a","tag":"1"},"request":{"host":"r.example"}}]}""")]
    public void Parse_NotAPush_IsNothingToCheck(string source, string? githubEvent, string json)
    {
        using var document = JsonDocument.Parse(json);

        var outcome = WebhookPayloads.Parse(source, document.RootElement, githubEvent);

        Assert.Null(outcome.Error);
        Assert.Empty(outcome.Pushed);
    }
}
