using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// One &lt;Record&gt;: writes what the far end says to a WAV file and decides when the take is over
/// (a run of silence as long as the verb's timeout, or its maximum length). Leading silence is not
/// written (TwiML's trim-silence), so a caller who never speaks leaves an empty take.
/// </summary>
/// <remarks>Runs on the media thread: <see cref="Write"/> neither blocks nor allocates.</remarks>
public sealed class RecordTake : IAudioSink, IDisposable
{
    /// <summary>
    /// A frame whose mean absolute amplitude stays under this is silence: about -48 dBFS, above the
    /// comfort noise and line hiss of a quiet handset, well below speech.
    /// </summary>
    internal const int SilenceMeanAmplitude = 130;

    private readonly WavRecorderSink _sink;
    private readonly long _silenceLimitSamples;
    private readonly long _maxSamples;
    private readonly bool _trimLeadingSilence;
    private readonly TaskCompletionSource<RecordTakeEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _silentSamples;
    private long _writtenSamples;
    private bool _heardVoice;

    /// <param name="path">The WAV file to create.</param>
    /// <param name="silenceTimeout">Silence that ends the take; zero = never.</param>
    /// <param name="maxLength">Longest take.</param>
    /// <param name="trimLeadingSilence">Skip audio until the first voiced frame.</param>
    /// <param name="time">Drives the background file writer.</param>
    public RecordTake(string path, TimeSpan silenceTimeout, TimeSpan maxLength, bool trimLeadingSilence, TimeProvider time)
    {
        _sink = WavRecorderSink.Create(path, RecordingChannels.ReceivedOnly, WavEncoding.Pcm16, time);
        _silenceLimitSamples = silenceTimeout <= TimeSpan.Zero ? long.MaxValue : (long)(silenceTimeout.TotalSeconds * PcmResampler.OutputRate);
        _maxSamples = (long)(maxLength.TotalSeconds * PcmResampler.OutputRate);
        _trimLeadingSilence = trimLeadingSilence;
        Path = path;
    }

    /// <summary>The file being written.</summary>
    public string Path { get; }

    /// <summary>Completes when silence or the maximum length ends the take.</summary>
    public Task<RecordTakeEnd> Ended => _ended.Task;

    /// <summary>True once any voiced frame was heard.</summary>
    public bool HeardVoice => Volatile.Read(ref _heardVoice);

    public void Write(ReadOnlySpan<short> samples, AudioDirection direction)
    {
        if (direction != AudioDirection.Received || _ended.Task.IsCompleted)
            return;

        bool silent = IsSilent(samples);
        if (!silent)
            _heardVoice = true;
        if (_trimLeadingSilence && !_heardVoice)
        {
            // Silence before the caller speaks counts towards the timeout too (Twilio ends a take
            // that stays silent), but it is not written.
            _silentSamples += samples.Length;
            if (_silentSamples >= _silenceLimitSamples)
                _ended.TrySetResult(RecordTakeEnd.Silence);
            return;
        }

        _sink.Write(samples, AudioDirection.Received);
        _writtenSamples += samples.Length;
        _silentSamples = silent ? _silentSamples + samples.Length : 0;
        if (_silentSamples >= _silenceLimitSamples)
            _ended.TrySetResult(RecordTakeEnd.Silence);
        else if (_writtenSamples >= _maxSamples)
            _ended.TrySetResult(RecordTakeEnd.MaxLength);
    }

    /// <summary>Ends the take from outside (a finish key, a hang-up) unless it already ended.</summary>
    public void End(RecordTakeEnd reason) => _ended.TrySetResult(reason);

    /// <summary>Closes the file; returns the recorded length.</summary>
    public TimeSpan Complete()
    {
        _ended.TrySetResult(RecordTakeEnd.Stopped);
        return _sink.Complete();
    }

    internal static bool IsSilent(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
            return true;
        long sum = 0;
        foreach (short s in samples)
            sum += Math.Abs((int)s);
        return sum / samples.Length < SilenceMeanAmplitude;
    }

    public void Dispose() => _sink.Dispose();
}
