using Bunit;
using Harbor.Controller.Policy;
using Harbor.Controller.Web;
using Harbor.Controller.Web.Components;
using Microsoft.FluentUI.AspNetCore.Components;

namespace Harbor.Controller.Tests.Web;

/// <summary>
/// The policy rule editor: a rule with several settings, each field at most once, the scope value only where
/// a scope needs one, and an existing rule loaded back exactly as saved — what the page sends to the API's
/// validation is what the user typed.
/// </summary>
public sealed class RuleEditorTests : IDisposable
{
    private readonly BunitContext context = new();

    public RuleEditorTests()
    {
        context.Services.AddFluentUIComponents();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void SeveralSettings_BecomeOneRequest_WithTheTypedValues()
    {
        var form = new RuleForm();
        var editor = Render(form);

        editor.Find("#rule-name").Input(" nightly web ");
        editor.Find("#rule-scope").Change("image");
        editor.Find("#rule-scope-value").Input("ghcr.io/acme/* ");
        editor.Find("#rule-priority").Change("5");
        editor.Find("#rule-value-0").Input("auto");
        editor.Find("#rule-add-setting").Click();
        editor.Find("#rule-field-1").Change(PolicyField.Schedule);
        editor.Find("#rule-value-1").Input("0 3 * * *");

        var request = form.ToRequest();
        Assert.Equal("nightly web", request.Name);
        Assert.Equal("image", request.Scope);
        Assert.Equal("ghcr.io/acme/*", request.ScopeValue);
        Assert.Equal(5, request.Priority);
        Assert.Equal(new Dictionary<string, string> { [PolicyField.Mode] = "auto", [PolicyField.Schedule] = "0 3 * * *" }, request.Settings);
    }

    [Fact]
    public void AFieldUsedByOneRow_IsNotOfferedToAnother()
    {
        var form = new RuleForm();
        var editor = Render(form);

        editor.Find("#rule-add-setting").Click();

        var second = editor.Find("#rule-field-1").QuerySelectorAll("option").Select(o => o.GetAttribute("value")).ToList();
        Assert.DoesNotContain(PolicyField.Mode, second);
        Assert.Equal(PolicyField.All.Count - 1, second.Count);
        Assert.Equal(PolicyField.Enabled, form.Settings[1].Field);
    }

    [Fact]
    public void AddSetting_WhenEveryFieldIsUsed_AddsNothing_AndTheButtonIsDisabled()
    {
        var form = new RuleForm();
        for (var i = 0; i < PolicyField.All.Count + 3; i++)
        {
            form.AddSetting();
        }

        Assert.Equal(PolicyField.All.Count, form.Settings.Count);
        Assert.Equal(PolicyField.All.Order(), form.Settings.Select(s => s.Field).Order());
        Assert.True(Render(form).Find("#rule-add-setting").HasAttribute("disabled"));
    }

    [Fact]
    public void Remove_DropsThatSetting_ButTheLastOneStays()
    {
        var form = new RuleForm();
        var editor = Render(form);
        editor.Find("#rule-add-setting").Click();
        editor.Find("#rule-value-1").Input("false");

        editor.Find("#rule-remove-0").Click();

        Assert.Equal([PolicyField.Enabled], form.Settings.Select(s => s.Field));
        Assert.Equal("false", editor.Find("#rule-value-0").GetAttribute("value"));
        Assert.True(editor.Find("#rule-remove-0").HasAttribute("disabled"));
    }

    [Fact]
    public void GlobalScope_DisablesTheScopeValue_AndSendsNone()
    {
        var form = new RuleForm { ScopeValue = "left over" };
        var editor = Render(form);

        Assert.True(editor.Find("#rule-scope-value").HasAttribute("disabled"));
        Assert.Null(form.ToRequest().ScopeValue);
        Assert.Equal("preview", form.ToRequest(nameWhenBlank: "preview").Name);

        editor.Find("#rule-scope").Change("composeProject");
        Assert.False(editor.Find("#rule-scope-value").HasAttribute("disabled"));
        Assert.Equal("left over", form.ToRequest().ScopeValue);
    }

    [Fact]
    public void ExistingRule_LoadsItsSettingsInExplainOrder_AndSavesAsChanges()
    {
        var rule = new PolicyRule(
            42, "db tier", new RuleScope(RuleScopeKind.ComposeProject, "shop"), 3,
            new Dictionary<string, string> { [PolicyField.MinAge] = "24h", [PolicyField.Mode] = "approve" },
            DateTimeOffset.UnixEpoch);
        var form = RuleForm.From(rule);
        var cancelled = false;

        var editor = context.Render<RuleEditor>(p => p
            .Add(e => e.Form, form)
            .Add(e => e.CanSave, true)
            .Add(e => e.OnCancel, () => cancelled = true));

        Assert.Equal(42, form.RuleId);
        Assert.Equal("db tier", editor.Find("#rule-name").GetAttribute("value"));
        Assert.Equal("shop", editor.Find("#rule-scope-value").GetAttribute("value"));
        Assert.Equal([PolicyField.Mode, PolicyField.MinAge], form.Settings.Select(s => s.Field));
        Assert.Equal(rule.Settings, form.ToRequest().Settings);
        Assert.Equal("composeProject", form.ToRequest().Scope);
        Assert.Contains("Save changes", editor.Find("#rule-save").TextContent);
        editor.Find("#rule-cancel").Click();
        Assert.True(cancelled);
    }

    [Fact]
    public void WithoutSavePermission_OnlyPreviewIsOffered()
    {
        var previewed = 0;
        var editor = context.Render<RuleEditor>(p => p
            .Add(e => e.Form, new RuleForm())
            .Add(e => e.CanSave, false)
            .Add(e => e.OnPreview, () => previewed++));

        Assert.Empty(editor.FindAll("#rule-save"));
        editor.Find("#rule-preview").Click();
        editor.Find("#rule-editor").Submit();
        Assert.Equal(2, previewed);
    }

    private IRenderedComponent<RuleEditor> Render(RuleForm form) =>
        context.Render<RuleEditor>(p => p.Add(e => e.Form, form).Add(e => e.CanSave, true));

    public void Dispose() => context.Dispose();
}
