namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Something a call can play: speech, a file, a tone, silence. It yields linear PCM at
/// 8 kHz mono (the G.711 clock, RFC 3551 §4.5.14), one frame at a time, on a media thread.
/// </summary>
/// <remarks>
/// <see cref="Read"/> is called on the hot path every ptime (20 ms): it must not block, must not
/// allocate, and must not throw for ordinary conditions. A source still being downloaded returns
/// fewer samples than asked (possibly 0) while <see cref="Completed"/> is false; the pacer fills the
/// rest of the frame with silence and asks again on the next slot.
/// </remarks>
public interface IAudioSource : IDisposable
{
    /// <summary>Copies up to <paramref name="destination"/>.Length samples (8 kHz, mono, PCM16).</summary>
    /// <returns>The number of samples written; less than asked when no more is ready yet or at the end.</returns>
    int Read(Span<short> destination);

    /// <summary>True once every sample has been read (all loops played); the source will yield nothing more.</summary>
    bool Completed { get; }
}
