using System.Buffers;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Records a call to a WAV file without putting disk I/O on the media thread: <see cref="Write"/>
/// only copies the frame into a per-direction ring in pooled memory; a timer on
/// <see cref="TimeProvider"/> drains the rings on a pool thread, mixes or interleaves the two
/// directions, and writes the file.
/// </summary>
/// <remarks>
/// <para>The two directions are aligned by sample count: the media engine hands over one frame per
/// direction per ptime. If one direction stops arriving (no audio sent during a pause, a stalled
/// receive stream), it is filled with silence once it lags by more than <see cref="MaxSkew"/>, so a
/// silent side never holds the other back.</para>
/// <para>The WAV header's sizes are rewritten about once a second, so after a crash the file is
/// complete up to that point. If the disk is slower than the calls for longer than the rings hold
/// (<c>bufferDuration</c>), frames are dropped and counted, never waited for. A write error ends
/// the recording; <see cref="Complete"/> rethrows it.</para>
/// <para>Threading: <see cref="Write"/> may be called for the two directions from different
/// threads, but calls for one direction must not overlap.</para>
/// </remarks>
public sealed class WavRecorderSink : IAudioSink, IDisposable
{
    /// <summary>How far one direction may run ahead before the other is filled with silence: 500 ms.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMilliseconds(500);

    /// <summary>The default interval between drains of the rings to the file.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan HeaderUpdateInterval = TimeSpan.FromSeconds(1);
    private const int ChunkSamples = 1024;

    private readonly WavWriter _writer;
    private readonly RecordingChannels _channels;
    private readonly SampleRing _received;
    private readonly SampleRing? _sent;
    private readonly short[] _receivedBuffer;
    private readonly short[]? _sentBuffer;
    private readonly short[] _first = ArrayPool<short>.Shared.Rent(ChunkSamples);
    private readonly short[] _second = ArrayPool<short>.Shared.Rent(ChunkSamples);
    private readonly short[] _output = ArrayPool<short>.Shared.Rent(ChunkSamples * 2);
    private readonly int _maxSkewSamples = (int)(MaxSkew.TotalSeconds * PcmResampler.OutputRate);
    private readonly int _drainsPerHeaderUpdate;
    private readonly ITimer _timer;
    private readonly Lock _drainLock = new();
    private volatile bool _accepting = true;
    private int _activeWriters;
    private bool _closed;
    private int _drainsSinceHeaderUpdate;
    private long _droppedSamples;
    private long _framesWritten;
    private Exception? _error;

    /// <summary>Starts a recording into <paramref name="destination"/> (which it owns and closes).</summary>
    /// <param name="destination">Where the WAV file goes; seekable to have its header patched.</param>
    /// <param name="channels">Mono mix, two channels, or the received side only.</param>
    /// <param name="encoding">16-bit PCM or G.711.</param>
    /// <param name="timeProvider">The clock that drives the background writer (the system clock if null).</param>
    /// <param name="flushInterval">How often the rings are drained to the file (default 200 ms).</param>
    /// <param name="bufferDuration">How much audio per direction the rings hold while the disk is busy (default 4 s).</param>
    public WavRecorderSink(Stream destination, RecordingChannels channels = RecordingChannels.MonoMix, WavEncoding encoding = WavEncoding.Pcm16, TimeProvider? timeProvider = null, TimeSpan? flushInterval = null, TimeSpan? bufferDuration = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!Enum.IsDefined(channels))
        {
            throw new ArgumentOutOfRangeException(nameof(channels));
        }

        TimeSpan interval = flushInterval ?? DefaultFlushInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(flushInterval));
        TimeSpan buffer = bufferDuration ?? TimeSpan.FromSeconds(4);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer, TimeSpan.FromMilliseconds(100), nameof(bufferDuration));

        _channels = channels;
        _writer = new WavWriter(destination, channels == RecordingChannels.Stereo ? 2 : 1, encoding);
        int ringSamples = (int)(buffer.TotalSeconds * PcmResampler.OutputRate);
        _receivedBuffer = ArrayPool<short>.Shared.Rent(ringSamples);
        _received = new SampleRing(_receivedBuffer, ringSamples);
        if (channels != RecordingChannels.ReceivedOnly)
        {
            _sentBuffer = ArrayPool<short>.Shared.Rent(ringSamples);
            _sent = new SampleRing(_sentBuffer, ringSamples);
        }

        _drainsPerHeaderUpdate = Math.Max(1, (int)Math.Round(HeaderUpdateInterval / interval));
        _timer = (timeProvider ?? TimeProvider.System).CreateTimer(static state => ((WavRecorderSink)state!).OnTimer(), this, interval, interval);
    }

    /// <summary>The audio written to the file so far.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Interlocked.Read(ref _framesWritten) * TimeSpan.TicksPerSecond / PcmResampler.OutputRate);

    /// <summary>Samples dropped because the rings were full (the disk fell behind).</summary>
    public long DroppedSamples => Interlocked.Read(ref _droppedSamples);

    /// <summary>The write error that ended the recording early, if any.</summary>
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Opens a new file at <paramref name="path"/> (failing if it exists) and records into it.</summary>
    public static WavRecorderSink Create(string path, RecordingChannels channels = RecordingChannels.MonoMix, WavEncoding encoding = WavEncoding.Pcm16, TimeProvider? timeProvider = null)
    {
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 64 * 1024);
        try
        {
            return new WavRecorderSink(file, channels, encoding, timeProvider);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Takes one frame heard in <paramref name="direction"/>. Copies it and returns; never blocks, never allocates.</summary>
    public void Write(ReadOnlySpan<short> samples, AudioDirection direction)
    {
        SampleRing? ring = direction == AudioDirection.Received ? _received : _sent;
        if (ring is null || !_accepting)
        {
            return; // the sent side of a received-only recording, or a recording that has ended
        }

        Interlocked.Increment(ref _activeWriters);
        try
        {
            // Checked again inside the writer count: Complete waits for the count to drop before
            // returning the rings' memory to the pool.
            if (_accepting)
            {
                int written = ring.Write(samples);
                if (written < samples.Length)
                {
                    Interlocked.Add(ref _droppedSamples, samples.Length - written);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _activeWriters);
        }
    }

    /// <summary>
    /// Ends the recording: stops taking frames, writes everything still buffered (the shorter
    /// direction padded with silence), patches the header and closes the file.
    /// </summary>
    /// <returns>The recording's duration.</returns>
    /// <exception cref="IOException">Writing the file failed (during the recording or now).</exception>
    public TimeSpan Complete()
    {
        _accepting = false;
        // A full fence: Write increments its counter and then reads _accepting; this side writes
        // _accepting and then reads the counter. Without it the two could miss each other.
        Interlocked.MemoryBarrier();
        _timer.Dispose();
        SpinWait spin = default;
        while (Volatile.Read(ref _activeWriters) != 0)
        {
            spin.SpinOnce();
        }

        TimeSpan duration;
        lock (_drainLock)
        {
            if (!_closed)
            {
                _closed = true;
                try
                {
                    if (_error is null)
                    {
                        Drain(final: true);
                    }

                    _writer.Dispose();
                }
                catch (Exception error) when (error is IOException or UnauthorizedAccessException)
                {
                    _error ??= error;
                }
                finally
                {
                    ArrayPool<short>.Shared.Return(_receivedBuffer);
                    if (_sentBuffer is not null)
                    {
                        ArrayPool<short>.Shared.Return(_sentBuffer);
                    }

                    ArrayPool<short>.Shared.Return(_first);
                    ArrayPool<short>.Shared.Return(_second);
                    ArrayPool<short>.Shared.Return(_output);
                }
            }

            duration = Duration;
        }

        if (_error is { } failure)
        {
            throw new IOException($"The recording could not be written: {failure.Message}", failure);
        }

        return duration;
    }

    /// <summary>Completes the recording, swallowing a write error (<see cref="Error"/> still tells it).</summary>
    public void Dispose()
    {
        try
        {
            Complete();
        }
        catch (IOException)
        {
            // Reported through Error; Dispose must not throw.
        }
    }

    private void OnTimer()
    {
        lock (_drainLock)
        {
            if (_closed || _error is not null)
            {
                return;
            }

            try
            {
                Drain(final: false);
                if (++_drainsSinceHeaderUpdate >= _drainsPerHeaderUpdate)
                {
                    _drainsSinceHeaderUpdate = 0;
                    _writer.UpdateHeader();
                }
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // A full or failing disk: stop taking frames rather than fill memory.
                _error = error;
                _accepting = false;
            }
        }
    }

    // Called under _drainLock.
    private void Drain(bool final)
    {
        if (_sent is null)
        {
            int read;
            while ((read = _received.Read(_first.AsSpan(0, ChunkSamples))) > 0)
            {
                _writer.Write(_first.AsSpan(0, read));
                Interlocked.Add(ref _framesWritten, read);
            }

            return;
        }

        while (true)
        {
            int receivedCount = _received.Count;
            int sentCount = _sent.Count;
            int paired = Math.Min(receivedCount, sentCount);
            int lead = Math.Max(receivedCount, sentCount) - paired;
            // Past the allowed skew (or at the end), the side that is ahead plays against silence.
            int unpaired = final ? lead : Math.Max(0, lead - _maxSkewSamples);
            int frames = Math.Min(ChunkSamples, paired > 0 ? paired : unpaired);
            if (frames == 0)
            {
                return;
            }

            bool receivedAhead = receivedCount > sentCount;
            Span<short> received = _first.AsSpan(0, frames);
            Span<short> sent = _second.AsSpan(0, frames);
            if (paired > 0 || receivedAhead)
            {
                _received.Read(received);
            }
            else
            {
                received.Clear();
            }

            if (paired > 0 || !receivedAhead)
            {
                _sent.Read(sent);
            }
            else
            {
                sent.Clear();
            }

            if (_channels == RecordingChannels.Stereo)
            {
                Span<short> stereo = _output.AsSpan(0, frames * 2);
                LinearPcm.Interleave(received, sent, stereo);
                _writer.Write(stereo);
                Interlocked.Add(ref _framesWritten, frames);
            }
            else
            {
                Span<short> mono = _output.AsSpan(0, frames);
                LinearPcm.MixSaturating(received, sent, mono);
                _writer.Write(mono);
                Interlocked.Add(ref _framesWritten, frames);
            }
        }
    }
}
