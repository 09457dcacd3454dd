namespace Harbor.Controller.Notifications;

/// <summary>
/// What one delivery attempt came to.
/// Retryable: worth trying again (timeouts, connection errors, 408, 429, 5xx); other 4xx are permanent. RetryAfter: the receiver's, when it sent one.
/// </summary>
internal sealed record DeliveryResult(bool Delivered, int? StatusCode, bool Retryable, TimeSpan? RetryAfter, string? Error)
{
    public static DeliveryResult Success(int statusCode) => new(true, statusCode, false, null, null);
}
