using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Rtp.Bridging;

/// <summary>
/// Re-sends the RFC 4733 events one leg of a bridge receives on the other leg's stream: the payload is
/// passed through unchanged, the packet takes the outgoing stream's SSRC, sequence numbers and
/// telephone-event payload type, and the event gets a timestamp in the outgoing stream's clock (its
/// slot when the event's first packet is relayed), kept for all its packets (RFC 4733 §2.5.1.2).
/// The end is sent three times by this side whatever arrived (§2.5.1.4), and an event whose end never
/// arrives is ended after a silence, so the far receiver is not left with a key held down.
/// State is touched only by the outgoing stream's media thread.
/// </summary>
internal sealed class TelephoneEventRelay
{
    /// <summary>Slots without an update after which an event whose end was lost is ended (200 ms at 20 ms).</summary>
    public const int IdleSlotsBeforeEnd = 10;

    /// <summary>The largest duration an event segment can carry (RFC 4733 §2.5.1.3).</summary>
    private const uint SegmentLength = 0xFFFF;

    private readonly byte[] _last = new byte[16];
    private int _lastLength;
    private bool _hasEvent;
    private bool _active;
    private bool _ended;
    private uint _sourceTimestamp;
    private uint _mappedTimestamp;
    private int _endCopiesLeft;
    private int _idleSlots;

    public void Reset()
    {
        _hasEvent = false;
        _active = false;
        _ended = false;
        _endCopiesLeft = 0;
        _idleSlots = 0;
        _lastLength = 0;
    }

    public RelayAction Next(BridgeInbox inbox, uint slotTimestamp, Span<byte> payload, out TelephoneEventPacket packet)
    {
        if (_endCopiesLeft > 0)
        {
            _endCopiesLeft--;
            if (_endCopiesLeft == 0)
            {
                _active = false;
            }

            _last.AsSpan(0, _lastLength).CopyTo(payload);
            packet = new TelephoneEventPacket(_mappedTimestamp, false, _lastLength);
            return RelayAction.Send;
        }

        Span<byte> incoming = stackalloc byte[16];
        while (inbox.TryDequeueEvent(incoming, out int length, out uint sourceTimestamp))
        {
            length &= ~3;
            if (length == 0)
            {
                continue;
            }

            bool marker = false;
            if (_hasEvent && sourceTimestamp == _sourceTimestamp)
            {
                if (_ended)
                {
                    // The source's own retransmissions of an end already relayed (§2.5.1.4).
                    continue;
                }
            }
            else if (_hasEvent && !_ended && sourceTimestamp == _sourceTimestamp + SegmentLength && incoming[0] == _last[0])
            {
                // The next segment of a long event (§2.5.1.3) continues it: same shift in our clock.
                _sourceTimestamp = sourceTimestamp;
                _mappedTimestamp += SegmentLength;
            }
            else
            {
                _hasEvent = true;
                _sourceTimestamp = sourceTimestamp;
                _mappedTimestamp = slotTimestamp;
                _ended = false;
                marker = true;
            }

            _active = true;
            _idleSlots = 0;
            incoming[..length].CopyTo(_last);
            _lastLength = length;
            if ((incoming[1] & 0x80) != 0)
            {
                _ended = true;
                _endCopiesLeft = 2;
            }

            incoming[..length].CopyTo(payload);
            packet = new TelephoneEventPacket(_mappedTimestamp, marker, length);
            return RelayAction.Send;
        }

        packet = default;
        if (!_active)
        {
            return RelayAction.None;
        }

        if (++_idleSlots <= IdleSlotsBeforeEnd)
        {
            return RelayAction.PauseAudio;
        }

        // The source went quiet without an end: end the event ourselves with its last duration.
        for (int i = 1; i < _lastLength; i += 4)
        {
            _last[i] |= 0x80;
        }

        _ended = true;
        _endCopiesLeft = 2;
        _last.AsSpan(0, _lastLength).CopyTo(payload);
        packet = new TelephoneEventPacket(_mappedTimestamp, false, _lastLength);
        return RelayAction.Send;
    }
}
