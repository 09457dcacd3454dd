namespace Harbor.Controller.Notifications;

/// <summary>
/// What one delivery attempt came to.
/// Retryable: worth trying again (timeouts, connection errors, 408, 429, 5xx; SMTP 4yz); other 4xx and SMTP 5yz are permanent.
/// RetryAfter: the receiver's, when it sent one. StatusCode: the HTTP status (250 for an accepted mail, null without an answer).
/// </summary>
internal sealed record DeliveryResult(bool Delivered, int? StatusCode, bool Retryable, TimeSpan? RetryAfter, string? Error)
{
    public static DeliveryResult Success(int statusCode) => new(true, statusCode, false, null, null);
}
