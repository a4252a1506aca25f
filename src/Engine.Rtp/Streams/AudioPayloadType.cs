namespace Dialtone.Engine.Rtp.Streams;

/// <summary>The audio codecs a stream sends and receives; each value is its static RTP payload type (RFC 3551 §6).</summary>
public enum AudioPayloadType : byte
{
    /// <summary>G.711 µ-law, 8 kHz (RFC 3551 §4.5.14).</summary>
    Pcmu = 0,

    /// <summary>G.711 A-law, 8 kHz (RFC 3551 §4.5.14).</summary>
    Pcma = 8,
}
