using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;

namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// One download of one media URL, shared by every call that asks for it while it is in flight
/// (request collapsing, RFC 9111 §4). The body is received as fast as the network delivers it into
/// one growing buffer; each call reads it through its own <see cref="SharedDownloadReader"/>, which
/// hands out bytes as soon as they are there, so no call waits for the whole file and no slow
/// reader slows the download.
/// </summary>
/// <remarks>
/// One task writes (the fetch in <see cref="MediaCache"/>: <see cref="BeginBody"/>,
/// <see cref="ReceiveAsync"/>, then <see cref="Complete"/> or <see cref="Fail"/>); any number of
/// readers read. Bytes below <c>_length</c> are never written again, so readers copy them outside
/// the lock; the writer fills the space above <c>_length</c> and publishes it under the lock.
/// </remarks>
internal sealed class SharedDownload(string key, Uri url)
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<SharedDownloadReader> _waiting = new(4);
    private List<SharedDownloadReader> _waking = new(4);
    private byte[] _buffer = [];
    private int _length;
    private bool _complete;
    private VoiceAppException? _error;
    private int _maxBytes;
    private byte[]? _probe;

    /// <summary>The requested URL, as the cache files it.</summary>
    public string Key { get; } = key;

    /// <summary>The requested URL.</summary>
    public Uri Url { get; } = url;

    /// <summary>
    /// Completes once the response headers have been judged: then either <see cref="Revalidated"/>
    /// is set (304), or <see cref="BodyStarted"/> is true, or the request failed (<see cref="CopyOfError"/>).
    /// Never faults, so every waiting caller gets its own copy of the error.
    /// </summary>
    public Task Opened => _opened.Task;

    /// <summary>The stored entry the server confirmed with 304 Not Modified.</summary>
    public MediaEntry? Revalidated { get; private set; }

    /// <summary>True once a 2xx body is being received (readers may be opened).</summary>
    public bool BodyStarted { get; private set; }

    /// <summary>Where the body came from (after redirects).</summary>
    public Uri FinalUrl { get; private set; } = url;

    public string? ContentType { get; private set; }

    public MediaFormat Format { get; private set; }

    /// <summary>
    /// Whether requests other than the one that started the download may use its response: only when
    /// the response may be stored (RFC 9111 §4: a collapsed request may be satisfied by a response that
    /// is stored or storable; otherwise it must be forwarded).
    /// </summary>
    public bool Shareable { get; private set; }

    /// <summary>The Content-Length, when the server declared one.</summary>
    public long? DeclaredLength { get; private set; }

    /// <summary>The server confirmed the stored copy: every caller gets that copy.</summary>
    public void NotModified(MediaEntry entry)
    {
        Revalidated = entry;
        _opened.TrySetResult();
    }

    /// <summary>A 2xx response whose headers passed the checks: readers may be opened from now on.</summary>
    public void BeginBody(Uri finalUrl, string? contentType, MediaFormat format, bool shareable, long? declaredLength, int maxBytes)
    {
        FinalUrl = finalUrl;
        ContentType = contentType;
        Format = format;
        Shareable = shareable;
        DeclaredLength = declaredLength;
        _maxBytes = maxBytes;
        // A declared length (already checked against the bound) sizes the buffer exactly, so the
        // finished file needs no trimming copy; otherwise start small and double.
        var initial = declaredLength is { } declared ? (int)declared : Math.Min(maxBytes, 64 * 1024);
        lock (_lock)
            _buffer = new byte[initial];
        BodyStarted = true;
        _opened.TrySetResult();
    }

    /// <summary>A reader of its own for one caller, starting at the first byte.</summary>
    public SharedDownloadReader OpenReader() => new(this);

    /// <summary>
    /// Receives the whole body, publishing each piece to the readers as it arrives, and returns the
    /// file in an array of exactly its length (the array readers see from then on, so the cache can
    /// keep that very array). Throws too-large past the per-item bound.
    /// </summary>
    public async Task<byte[]> ReceiveAsync(Stream body)
    {
        while (true)
        {
            int read;
            if (_length == _buffer.Length)
            {
                if (_buffer.Length < _maxBytes && _length != DeclaredLength)
                {
                    Grow(_length + 1);
                    continue;
                }
                // Full at the bound or at the declared length: the body should be over. One small read
                // tells; anything more is a file over the bound.
                _probe ??= new byte[1];
                read = await body.ReadAsync(_probe).ConfigureAwait(false);
                if (read == 0)
                    break;
                if ((long)_length + read > _maxBytes)
                    throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"{Describe.Url(FinalUrl)} is larger than {_maxBytes} bytes");
                Grow(_length + read);
                _probe.AsSpan(0, read).CopyTo(_buffer.AsSpan(_length));
            }
            else
            {
                read = await body.ReadAsync(_buffer.AsMemory(_length)).ConfigureAwait(false);
                if (read == 0)
                    break;
            }
            Publish(_length + read);
        }
        if (_buffer.Length != _length)
        {
            var exact = _buffer.AsSpan(0, _length).ToArray();
            lock (_lock)
                _buffer = exact;
        }
        return _buffer;
    }

    /// <summary>The body has been received (and stored, when allowed): readers that caught up see the end.</summary>
    public void Complete()
    {
        List<SharedDownloadReader> waking;
        lock (_lock)
        {
            _complete = true;
            waking = TakeWaiting();
        }
        WakeAll(waking, null);
    }

    /// <summary>The request or the body failed: every caller and every reader gets <paramref name="error"/>.</summary>
    public void Fail(VoiceAppException error)
    {
        List<SharedDownloadReader> waking;
        lock (_lock)
        {
            _error = error;
            waking = TakeWaiting();
        }
        _opened.TrySetResult();
        WakeAll(waking, error);
    }

    /// <summary>The error as a failure of the body or of the request.</summary>
    public VoiceAppException Translate(Exception exception) => exception switch
    {
        VoiceAppException known => known,
        _ when BodyStarted => new VoiceAppException(VoiceAppErrorCode.FetchFailed,
            $"{Describe.Url(FinalUrl)} broke off after {Volatile.Read(ref _length)} bytes: {exception.Message}", exception),
        _ => new VoiceAppException(VoiceAppErrorCode.FetchFailed, $"{Describe.Url(Url)}: {exception.Message}", exception),
    };

    /// <summary>
    /// A fresh exception for one caller: the same instance thrown on many threads at once would have
    /// its stack trace rewritten under every one of them.
    /// </summary>
    public VoiceAppException CopyOfError()
    {
        var error = Volatile.Read(ref _error) ?? throw new InvalidOperationException("the download has not failed");
        return new VoiceAppException(error.Code, error.Message, error.InnerException);
    }

    /// <summary>
    /// Copies what <paramref name="reader"/> has not read yet, or returns 0 at the end, or parks the
    /// reader until the writer publishes more (no allocation either way).
    /// </summary>
    internal ValueTask<int> Read(SharedDownloadReader reader, Memory<byte> destination, CancellationToken cancellationToken)
    {
        byte[] buffer;
        int length;
        lock (_lock)
        {
            // A failed download is not played further: the file is incomplete and the caller must hear why.
            if (_error is not null)
                return ValueTask.FromException<int>(CopyOfError());
            buffer = _buffer;
            length = _length;
            if (reader.Consumed == length)
            {
                if (_complete)
                    return new ValueTask<int>(0);
                _waiting.Add(reader);
                return reader.Park(destination, cancellationToken);
            }
        }
        return new ValueTask<int>(reader.CopyFrom(buffer, length, destination));
    }

    /// <summary>A parked reader gave up (cancelled or disposed): the writer must no longer wake it.</summary>
    internal void Withdraw(SharedDownloadReader reader)
    {
        lock (_lock)
            _waiting.Remove(reader);
    }

    private void Grow(int atLeast)
    {
        var size = (int)Math.Min(_maxBytes, Math.Max(2L * _buffer.Length, atLeast));
        var bigger = new byte[size];
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        lock (_lock)
            _buffer = bigger;
    }

    private void Publish(int length)
    {
        List<SharedDownloadReader> waking;
        byte[] buffer;
        lock (_lock)
        {
            _length = length;
            buffer = _buffer;
            waking = TakeWaiting();
        }
        foreach (var reader in waking)
            reader.Wake(buffer, length, complete: false, error: null);
        waking.Clear();
    }

    private void WakeAll(List<SharedDownloadReader> waking, VoiceAppException? error)
    {
        foreach (var reader in waking)
        {
            if (error is not null)
                reader.Wake([], 0, complete: false, new VoiceAppException(error.Code, error.Message, error.InnerException));
            else
                reader.Wake(_buffer, _length, complete: true, error: null);
        }
        waking.Clear();
    }

    // Two lists swapped under the lock, so waking readers allocates nothing. Only the single writer
    // takes and clears them, one publish at a time, so the list being woken is never the one filling.
    private List<SharedDownloadReader> TakeWaiting()
    {
        var waking = _waiting;
        _waiting = _waking;
        _waking = waking;
        return waking;
    }
}
