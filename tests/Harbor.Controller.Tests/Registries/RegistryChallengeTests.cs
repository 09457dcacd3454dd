using Harbor.Controller.Registries;

namespace Harbor.Controller.Tests.Registries;

public sealed class RegistryChallengeTests
{
    [Fact]
    public void Parse_DockerHubBearer_ReadsRealmServiceScope()
    {
        var challenge = Assert.Single(RegistryChallenge.Parse(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\""));

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/nginx:pull", challenge.Scope);
    }

    [Fact]
    public void Parse_QuotedValuesWithCommasEscapesAndSpaces_KeepsThemWhole()
    {
        var challenge = Assert.Single(RegistryChallenge.Parse(
            "Bearer  realm = \"https://auth.example/token?a=1,b=2\" , scope=\"repository:a/b:pull,push\", error=\"insufficient_scope\", note=\"say \\\"hi\\\"\""));

        Assert.Equal("https://auth.example/token?a=1,b=2", challenge.Realm);
        Assert.Equal("repository:a/b:pull,push", challenge.Scope);
        Assert.Equal("insufficient_scope", challenge.Error);
        Assert.Equal("say \"hi\"", challenge.Parameters["note"]);
    }

    [Fact]
    public void Parse_SeveralChallengesAndCaseInsensitiveNames_AreSeparated()
    {
        var challenges = RegistryChallenge.Parse("Basic REALM=\"Registry Realm\", Bearer Realm=\"https://t.example/token\",Service=\"reg\"");

        Assert.Equal(2, challenges.Count);
        Assert.True(challenges[0].IsBasic);
        Assert.Equal("Registry Realm", challenges[0].Realm);
        Assert.True(challenges[1].IsBearer);
        Assert.Equal("reg", challenges[1].Service);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",,,")]
    [InlineData("=\"x\"")]
    [InlineData("Bearer realm=\"unterminated")]
    [InlineData("Bearer realm=")]
    [InlineData("\"\"\"")]
    public void Parse_Garbage_NeverThrows(string header)
    {
        var challenges = RegistryChallenge.Parse(header);

        Assert.All(challenges, c => Assert.False(string.IsNullOrEmpty(c.Scheme)));
    }
}
