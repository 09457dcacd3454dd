using Microsoft.AspNetCore.Http.HttpResults;

namespace Harbor.Controller.Web;

/// <summary>
/// Turns what an API handler answered into the message a page shows. Pages whose rules live in the
/// API's handlers (users, API keys, sessions) call those handlers in-process rather than copying their
/// checks, and read the answer here: a problem or validation problem becomes its title and detail.
/// </summary>
internal static class ApiOutcome
{
    public static ActionResult Describe(IResult result, string successTitle, string successDetail) => result switch
    {
        ValidationProblem validation => new ActionResult(false, validation.ProblemDetails.Title ?? "Not valid",
            string.Join(" ", validation.ProblemDetails.Errors.Values.SelectMany(m => m))),
        ProblemHttpResult problem => new ActionResult(false, problem.ProblemDetails.Title ?? "Refused", problem.ProblemDetails.Detail ?? ""),
        _ => new ActionResult(true, successTitle, successDetail),
    };
}
