namespace Dialtone.Engine.VoiceXml.Errors;

/// <summary>
/// The stable error codes a voice application can end with. The daemon puts the code and the
/// message on the completed status callback and in the log, so customers can match on the code.
/// </summary>
public static class VoiceAppErrorCode
{
    /// <summary>The HTTP request could not be made or the connection broke (DNS, refused, reset, TLS).</summary>
    public const string FetchFailed = "fetch-failed";

    /// <summary>The server answered with a status other than 2xx.</summary>
    public const string HttpStatus = "http-status";

    /// <summary>The server took too long to connect, answer, or send the next bytes.</summary>
    public const string Timeout = "timeout";

    /// <summary>The response's Content-Type is not one a voice document or audio file can have.</summary>
    public const string BadContentType = "bad-content-type";

    /// <summary>A size or count limit was exceeded (bytes, nesting depth, verbs, text length).</summary>
    public const string TooLarge = "too-large";

    /// <summary>The body is not well-formed XML, has a DTD, or has no &lt;Response&gt; root.</summary>
    public const string UnparseableDocument = "unparseable-document";

    /// <summary>A verb has an attribute value or content that is not allowed (loop="abc", numDigits="-1").</summary>
    public const string InvalidVerb = "invalid-verb";

    /// <summary>Too many HTTP redirects on one request, or too many documents fetched for one call.</summary>
    public const string RedirectLimit = "redirect-limit";

    /// <summary>The URL's host resolves to an address the outbound guard refuses (metadata, link-local...).</summary>
    public const string ForbiddenAddress = "forbidden-address";

    /// <summary>The URL is not an absolute http(s) URL, or a relative URL has no document to resolve against.</summary>
    public const string InvalidUrl = "invalid-url";

    /// <summary>The call carrying out a verb failed for a reason of its own (not a document problem).</summary>
    public const string CallFailed = "call-failed";
}
