using System.Buffers;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Audio that plays while it is still arriving: a producer (an HTTP download, typically) writes the
/// file's bytes in as they come; they are decoded and resampled on the producer's side into a
/// bounded ring of 8 kHz samples, and <see cref="Read"/> on the media thread only copies from it.
/// </summary>
/// <remarks>
/// <para>When the ring is full, <see cref="WriteAsync"/> waits (asynchronously) for the media
/// thread to make room, which in turn slows the download: memory per playback stays bounded.
/// When the ring runs dry before the file is complete, <see cref="Read"/> returns fewer samples
/// (possibly none) and counts an underrun; it never blocks.</para>
/// <para>Decode errors reach the producer as an <see cref="AudioFormatException"/> and end the
/// playback after what was already decoded (<see cref="Error"/> tells why). With
/// <c>retainForReplay</c> the decoded samples are also kept, so the source can be rewound for
/// loops and turned into a cached <see cref="AudioClip"/> once complete.</para>
/// <para>Threading: one producer (its calls must not overlap) and one consumer (the media thread,
/// which calls <see cref="Read"/>, <see cref="Rewind"/> and <see cref="Dispose"/>).</para>
/// </remarks>
public sealed class StreamingAudioSource : IRewindableAudioSource
{
    /// <summary>The default ring size: 10 s of 8 kHz audio (160 KB).</summary>
    public const int DefaultBufferSamples = PcmResampler.OutputRate * 10;

    private readonly SampleRing _ring;
    private readonly Pcm8kDecoder _decoder;
    private readonly SemaphoreSlim _spaceAvailable = new(0);
    private readonly long _maxSamples;
    private readonly List<short>? _retained;
    private long _producedSamples;
    private int _producerWaiting;
    private volatile bool _producerDone;
    private volatile bool _disposed;
    private volatile Exception? _error;
    private volatile ClipAudioSource? _replay;
    private ClipAudioSource? _preparedReplay;
    private AudioClip? _clip;
    private long _underruns;

    /// <summary>Creates an empty source, ready for its producer.</summary>
    /// <param name="format">The file format, or <see cref="AudioFileFormat.Detect"/> to recognise it from the first bytes.</param>
    /// <param name="bufferSamples">The ring's size in 8 kHz samples.</param>
    /// <param name="retainForReplay">Keep every decoded sample so the source can be rewound (for loops) and cached.</param>
    /// <param name="maxDuration">The longest audio accepted (default <see cref="AudioClip.DefaultMaxDuration"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bufferSamples"/> is under 160 (one 20 ms frame).</exception>
    public StreamingAudioSource(AudioFileFormat format = AudioFileFormat.Detect, int bufferSamples = DefaultBufferSamples, bool retainForReplay = false, TimeSpan? maxDuration = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSamples, 160);
        _maxSamples = AudioClip.MaxSamples(maxDuration);
        _ring = new SampleRing(new short[bufferSamples]);
        _decoder = new Pcm8kDecoder(format);
        _retained = retainForReplay ? [] : null;
    }

    /// <summary>True once the producer is done (or failed) and every decoded sample has been read.</summary>
    public bool Completed => _replay is { } replay ? replay.Completed : _producerDone && _ring.Count == 0;

    /// <summary>Why the playback ended early, if it did: a decode error, a failed download, a cancellation.</summary>
    public Exception? Error => _error;

    /// <summary>Decoded samples waiting to be read.</summary>
    public int BufferedSamples => _ring.Count;

    /// <summary>Reads that came up short because the audio had not arrived yet.</summary>
    public long Underruns => Interlocked.Read(ref _underruns);

    /// <summary>The format recognised (or given); <see cref="AudioFileFormat.Detect"/> until the first bytes arrive.</summary>
    public AudioFileFormat Format => _decoder.Format;

    /// <inheritdoc />
    public int Read(Span<short> destination)
    {
        if (_replay is { } replay)
        {
            return replay.Read(destination);
        }

        bool done = _producerDone; // read before the ring, so samples written before "done" are seen
        int read = _ring.Read(destination);
        if (read < destination.Length && !done)
        {
            _underruns++;
        }

        // Wake a waiting producer only once half the ring is free: one wake-up per half ring
        // instead of one per 20 ms frame.
        if (read > 0 && Volatile.Read(ref _producerWaiting) == 1 && _ring.Free >= _ring.Capacity / 2
            && Interlocked.Exchange(ref _producerWaiting, 0) == 1)
        {
            _spaceAvailable.Release();
        }

        return read;
    }

    /// <summary>Rewinds for another play; only possible with <c>retainForReplay</c>, once the whole file has arrived and played.</summary>
    public bool Rewind()
    {
        if (!Completed || _error is not null)
        {
            return false;
        }

        ClipAudioSource? replay = _replay ?? Volatile.Read(ref _preparedReplay);
        if (replay is null)
        {
            return false;
        }

        replay.Rewind();
        _replay = replay;
        return true;
    }

    /// <summary>The whole decoded audio as a clip, for caching; null unless <c>retainForReplay</c> was set and the file arrived completely.</summary>
    public AudioClip? ToClip() => _error is null ? Volatile.Read(ref _clip) : null;

    /// <summary>Producer: adds bytes of the file; decodes them, waiting for room in the ring as needed.</summary>
    /// <exception cref="AudioFormatException">The bytes are not a playable file (the source is then failed).</exception>
    /// <exception cref="InvalidOperationException">The producer already completed or failed the source.</exception>
    /// <exception cref="ObjectDisposedException">The source was disposed (the playback was stopped).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        _decoder.Append(data.Span);
        await DrainDecoderAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Producer: the whole file has been written; decodes the tail and ends the stream.</summary>
    /// <exception cref="AudioFormatException">The file is incomplete or not playable (the source is then failed).</exception>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfNotWritable();
        _decoder.EndOfInput();
        await DrainDecoderAsync(cancellationToken).ConfigureAwait(false);
        if (_retained is not null)
        {
            AudioClip clip = AudioClip.FromSamples(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_retained));
            Volatile.Write(ref _clip, clip);
            Volatile.Write(ref _preparedReplay, new ClipAudioSource(clip));
        }

        _producerDone = true;
        _decoder.Dispose();
    }

    /// <summary>Producer: the download failed; the playback ends after what was already decoded.</summary>
    public void Fail(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (_producerDone)
        {
            return;
        }

        _error = error;
        _producerDone = true;
        _decoder.Dispose();
    }

    /// <summary>
    /// Producer: copies a whole stream (an HTTP response body) into the source and completes it.
    /// Any error fails the source and is rethrown to the caller.
    /// </summary>
    public async Task CopyFromAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }

            await CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            Fail(error);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops the playback: a producer waiting for room gets an <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _spaceAvailable.Release();
    }

    private void ThrowIfNotWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_producerDone)
        {
            throw new InvalidOperationException(_error is null ? "The stream was already completed." : "The stream already failed.", _error);
        }
    }

    private async ValueTask DrainDecoderAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                ReadOnlySpan<short> piece = _decoder.DecodeNext();
                if (piece.IsEmpty)
                {
                    return;
                }

                _producedSamples += piece.Length;
                if (_producedSamples > _maxSamples)
                {
                    throw new AudioFormatException($"The audio is longer than the {TimeSpan.FromSeconds(_maxSamples / (double)PcmResampler.OutputRate)} allowed.");
                }

                _retained?.AddRange(piece);
                int offset = _ring.Write(piece);
                if (offset < piece.Length)
                {
                    // The span belongs to the decoder and cannot cross an await: keep the rest.
                    short[] rest = ArrayPool<short>.Shared.Rent(piece.Length - offset);
                    int restLength = piece.Length - offset;
                    piece[offset..].CopyTo(rest);
                    try
                    {
                        await WriteWhenRoomAsync(rest.AsMemory(0, restLength), cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        ArrayPool<short>.Shared.Return(rest);
                    }
                }
            }
        }
        catch (Exception error)
        {
            Fail(error);
            throw;
        }
    }

    private async ValueTask WriteWhenRoomAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        while (!samples.IsEmpty)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int written = _ring.Write(samples.Span);
            samples = samples[written..];
            if (samples.IsEmpty)
            {
                return;
            }

            // Announce the wait, then look again: the reader may have made room in between.
            Volatile.Write(ref _producerWaiting, 1);
            if (_ring.Free >= _ring.Capacity / 2 || _disposed)
            {
                Volatile.Write(ref _producerWaiting, 0);
                continue;
            }

            await _spaceAvailable.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
