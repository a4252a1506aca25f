using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Rtp.Recording;

/// <summary>
/// A call's recording to a WAV file: a <see cref="WavRecorderSink"/> (mono mix of both directions,
/// two channels received/sent, or the received side only) attached to a stream as a sink, with the
/// file's path and the recorded duration for the status callback. On an outbound call the received
/// side is the callee and the sent side is what we played or bridged from the caller.
/// </summary>
public sealed class CallRecording : IDisposable
{
    private readonly RtpStream _stream;
    private readonly WavRecorderSink _sink;
    private readonly Lock _sync = new();
    private TimeSpan? _finalDuration;

    private CallRecording(RtpStream stream, WavRecorderSink sink, string filePath, RecordingChannels channels)
    {
        _stream = stream;
        _sink = sink;
        FilePath = filePath;
        Channels = channels;
    }

    /// <summary>The WAV file being written.</summary>
    public string FilePath { get; }

    /// <summary>What the file holds.</summary>
    public RecordingChannels Channels { get; }

    /// <summary>Audio written to the file so far (the final length once stopped).</summary>
    public TimeSpan Duration => _finalDuration ?? _sink.Duration;

    /// <summary>True once <see cref="Stop"/> has run.</summary>
    public bool IsStopped => _finalDuration is not null;

    /// <summary>
    /// Creates <paramref name="filePath"/> (it must not exist) and records <paramref name="stream"/> into
    /// it from the stream's next slot.
    /// </summary>
    public static CallRecording Start(RtpStream stream, string filePath, RecordingChannels channels = RecordingChannels.MonoMix, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        WavRecorderSink sink = WavRecorderSink.Create(filePath, channels, WavEncoding.Pcm16, timeProvider ?? stream.Engine.TimeProvider);
        var recording = new CallRecording(stream, sink, Path.GetFullPath(filePath), channels);
        stream.AddSink(sink);
        return recording;
    }

    /// <summary>Detaches from the stream, writes what is buffered and closes the file.</summary>
    /// <returns>The recording's duration.</returns>
    /// <exception cref="IOException">The file could not be written.</exception>
    public TimeSpan Stop()
    {
        lock (_sync)
        {
            if (_finalDuration is { } done)
            {
                return done;
            }

            // After RemoveSink returns the media thread hands this sink no further frame.
            _stream.RemoveSink(_sink);
            try
            {
                _finalDuration = _sink.Complete();
            }
            catch (IOException)
            {
                _finalDuration = _sink.Duration;
                throw;
            }

            return _finalDuration.Value;
        }
    }

    /// <summary>Stops the recording; a write error is swallowed here (call <see cref="Stop"/> to see it).</summary>
    public void Dispose()
    {
        try
        {
            Stop();
        }
        catch (IOException)
        {
            // Dispose must not throw; Stop reports the error.
        }
    }
}
