using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Rtp.Bridging;

/// <summary>
/// Connects two open streams so each sends what the other receives: audio after the receiving leg's
/// jitter buffer, copied as is when both legs use the same G.711 law and transcoded µ-law↔A-law when
/// they differ, and RFC 4733 events relayed with the outgoing leg's payload type and clock. Each leg
/// keeps its own SSRC, sequence numbers and timestamps, which simply continue from what it sent before
/// (a prompt, silence) and go on after the bridge is disposed.
/// </summary>
public sealed class MediaBridge : IDisposable
{
    private int _disposed;

    private MediaBridge(RtpStream first, RtpStream second)
    {
        First = first;
        Second = second;
    }

    /// <summary>One leg.</summary>
    public RtpStream First { get; }

    /// <summary>The other leg.</summary>
    public RtpStream Second { get; }

    /// <summary>True until disposed (or until either leg closes).</summary>
    public bool IsConnected => Volatile.Read(ref _disposed) == 0;

    /// <summary>Bridges two open, unbridged streams. While bridged a leg's playback source is not read.</summary>
    public static MediaBridge Connect(RtpStream first, RtpStream second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (ReferenceEquals(first, second))
        {
            throw new ArgumentException("A stream cannot be bridged to itself.", nameof(second));
        }

        var bridge = new MediaBridge(first, second);
        first.AttachBridge(bridge, second);
        try
        {
            second.AttachBridge(bridge, first);
        }
        catch
        {
            first.DetachBridge(bridge);
            throw;
        }

        return bridge;
    }

    /// <summary>Separates the legs; each goes back to its playback or silence at its next slot.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        First.DetachBridge(this);
        Second.DetachBridge(this);
    }
}
