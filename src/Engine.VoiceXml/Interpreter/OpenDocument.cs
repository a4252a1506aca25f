using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>
/// The document a call is running: its verbs, in order, and the response they came from.
/// </summary>
/// <remarks>
/// A document already in memory (inline, or a response small enough to be read whole) is parsed to
/// the end on the first read and its XML reader and HTTP response are let go at once: a call often
/// runs one document for minutes (a long &lt;Play&gt;, a &lt;Dial&gt;), and the reader's buffers,
/// name table and namespace state are about 2 KB a call that nothing reads again. What the reader
/// would have raised further on (a malformed tail, an invalid verb) is kept and raised where the
/// stream would have met it, after the verbs before it have run, so the behaviour matches a document
/// read as it streams in.
/// </remarks>
internal sealed class OpenDocument(VoiceDocumentReader reader, Uri? url, FetchedDocument? fetched) : IDisposable
{
    private VoiceDocumentReader? _reader = reader;
    private FetchedDocument? _fetched = fetched;
    private Queue<VoiceVerb>? _readAhead;
    private VoiceAppException? _failureAfterReadAhead;

    /// <summary>The document's URL (the default action of Gather and Record); null for an inline document.</summary>
    public Uri? Url { get; } = url;

    /// <summary>The next verb, or null at the end of the document.</summary>
    /// <exception cref="VoiceAppException">The document is malformed, too large, or has an invalid verb.</exception>
    public async ValueTask<VoiceVerb?> ReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_readAhead is null && _reader is { IsInMemory: true } inMemory)
            await ReadWholeAsync(inMemory).ConfigureAwait(false);
        if (_readAhead is not null)
        {
            if (_readAhead.TryDequeue(out VoiceVerb? verb))
                return verb;
            if (_failureAfterReadAhead is not null)
                throw _failureAfterReadAhead;
            return null;
        }
        ObjectDisposedException.ThrowIf(_reader is null, this);
        return await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _reader = null;
        _fetched?.Dispose();
        _fetched = null;
    }

    private async ValueTask ReadWholeAsync(VoiceDocumentReader inMemory)
    {
        var verbs = new Queue<VoiceVerb>();
        try
        {
            // An in-memory read never waits, so there is nothing to cancel.
            while (await inMemory.ReadAsync(CancellationToken.None).ConfigureAwait(false) is { } verb)
                verbs.Enqueue(verb);
        }
        catch (VoiceAppException ex)
        {
            _failureAfterReadAhead = ex;
        }
        _readAhead = verbs;
        Dispose();
    }
}
