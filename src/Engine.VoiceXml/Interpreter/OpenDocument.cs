using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Parsing;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>The document a call is running: its reader, its URL, and the response still streaming it.</summary>
internal sealed class OpenDocument(VoiceDocumentReader reader, Uri? url, FetchedDocument? fetched) : IDisposable
{
    public VoiceDocumentReader Reader { get; } = reader;

    /// <summary>The document's URL (the default action of Gather and Record); null for an inline document.</summary>
    public Uri? Url { get; } = url;

    public void Dispose()
    {
        Reader.Dispose();
        fetched?.Dispose();
    }
}
