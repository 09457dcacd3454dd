namespace Harbor.Controller.Security.Sessions;

/// <summary>A session just created: the cookie value (shown to nobody else, stored only hashed) and its row.</summary>
internal sealed record NewSession(string Token, SessionRow Row)
{
    public string CsrfToken => SessionTokens.CsrfTokenFor(Token);
}
