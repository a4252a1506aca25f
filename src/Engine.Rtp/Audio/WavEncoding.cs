namespace Dialtone.Engine.Rtp.Audio;

/// <summary>How a <see cref="WavWriter"/> stores samples.</summary>
public enum WavEncoding
{
    /// <summary>16-bit linear PCM (format tag 1): lossless, 16 KB/s per channel at 8 kHz.</summary>
    Pcm16,

    /// <summary>G.711 µ-law (format tag 7): what PCMU carried, half the size.</summary>
    MuLaw,

    /// <summary>G.711 A-law (format tag 6): what PCMA carried, half the size.</summary>
    ALaw,
}
