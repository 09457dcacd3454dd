using Harbor.Controller.Inventory;

namespace Harbor.Controller.Tests.Inventory;

public sealed class ContainerQueryTests
{
    [Fact]
    public void Validate_DefaultQuery_IsValid() => Assert.Empty(new ContainerQuery().Validate());

    [Theory]
    [InlineData("state", "sleeping")]
    [InlineData("page", "0")]
    [InlineData("pageSize", "0")]
    [InlineData("pageSize", "1001")]
    public void Validate_BadValue_NamesTheField(string field, string value)
    {
        var query = field switch
        {
            "state" => new ContainerQuery { State = value },
            "page" => new ContainerQuery { Page = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
            _ => new ContainerQuery { PageSize = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
        };

        var errors = query.Validate();

        Assert.True(errors.ContainsKey(field), string.Join(", ", errors.Keys));
    }
}
