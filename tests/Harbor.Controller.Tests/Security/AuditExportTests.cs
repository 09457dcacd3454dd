using Harbor.Controller.Security.Audit;

namespace Harbor.Controller.Tests.Security;

/// <summary>CSV cells of the audit export: RFC 4180 quoting and no formulas for spreadsheets.</summary>
public sealed class AuditExportTests
{
    [Theory]
    [InlineData(null, "")]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    public void Cell_Value_IsEscaped(string? value, string expected) => Assert.Equal(expected, AuditExport.Cell(value));

    [Fact]
    public void ToCsv_Events_OneHeaderAndOneCrLfLinePerEvent()
    {
        var at = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        var csv = AuditExport.ToCsv(
        [
            new AuditEventResponse(2, at, "user", "u1", "ada, the admin", "CreateUser", null, "success", 201, "127.0.0.1", null),
            new AuditEventResponse(1, at, "anonymous", null, null, "Login", null, "failure", 401, "::1", "user name: x"),
        ]);

        Assert.Equal(
            "id,at,actor_kind,actor_id,actor_name,action,target,outcome,status_code,remote_ip,detail\r\n"
            + "2,2026-11-26T10:00:00.000Z,user,u1,\"ada, the admin\",CreateUser,,success,201,127.0.0.1,\r\n"
            + "1,2026-11-26T10:00:00.000Z,anonymous,,,Login,,failure,401,::1,user name: x\r\n",
            csv);
    }
}
