namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Something that takes decoded audio from a call: a recorder, a bridge, a detector.
/// Samples are linear PCM at 8 kHz mono, one frame at a time, on a media thread.
/// </summary>
/// <remarks><see cref="Write"/> runs on the hot path: it must not block and must not allocate.</remarks>
public interface IAudioSink
{
    /// <summary>Takes one frame of audio heard in <paramref name="direction"/>.</summary>
    void Write(ReadOnlySpan<short> samples, AudioDirection direction);
}
