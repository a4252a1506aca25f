namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>How URLs appear in error messages: without user info or query, which may carry secrets.</summary>
internal static class Describe
{
    public static string Url(Uri url) => url.IsAbsoluteUri ? url.GetLeftPart(UriPartial.Path) : url.OriginalString;
}
