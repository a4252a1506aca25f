namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>A response whose headers have been checked and whose body is still streaming in.</summary>
public sealed class FetchedDocument : IDisposable
{
    private readonly HttpResponseMessage _response;

    internal FetchedDocument(HttpResponseMessage response, Uri url, Stream body)
    {
        _response = response;
        Url = url;
        Body = body;
    }

    /// <summary>The URL the document finally came from (after HTTP redirects): relative URLs in it resolve against this.</summary>
    public Uri Url { get; }

    /// <summary>The media type the server declared, or null.</summary>
    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    /// <summary>The body, read as it arrives; each read is bounded by the idle timeout.</summary>
    public Stream Body { get; }

    public void Dispose()
    {
        Body.Dispose();
        _response.Dispose();
    }
}
