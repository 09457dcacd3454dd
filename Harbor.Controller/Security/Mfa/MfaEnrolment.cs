namespace Harbor.Controller.Security.Mfa;

/// <summary>What the user needs to add Harbor to an authenticator app: the secret, its URI and a QR code.</summary>
internal sealed record MfaEnrolment(string Secret, string OtpAuthUri, string QrCodeSvg);
