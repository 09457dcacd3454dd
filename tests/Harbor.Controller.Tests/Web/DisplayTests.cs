using Harbor.Controller.Web;

namespace Harbor.Controller.Tests.Web;

/// <summary>How the UI writes who did something.</summary>
public sealed class DisplayTests
{
    [Theory]
    [InlineData("user:admin", "admin")]
    [InlineData("api_key:ci bot", "ci bot (API key)")]
    [InlineData("user:a:b", "a:b")]
    [InlineData("something else", "something else")]
    public void Caller_StoredAsKindAndName_ReadsAsAName(string stored, string shown) => Assert.Equal(shown, Display.Caller(stored));
}
