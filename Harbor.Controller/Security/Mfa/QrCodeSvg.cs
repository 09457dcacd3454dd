using QRCoder;

namespace Harbor.Controller.Security.Mfa;

/// <summary>Renders the otpauth:// URI as an SVG QR code for the enrolment screen.</summary>
internal static class QrCodeSvg
{
    public static string Render(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
