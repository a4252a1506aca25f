using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Rtp.Bridging;

/// <summary>
/// What a bridged stream receives from its peer leg: the peer's played-out audio, still in the peer's
/// G.711 law, and the peer's RFC 4733 event packets. The peer's media thread writes, this stream's
/// media thread reads; the inbox's own lock is a leaf (nothing else is locked while it is held), so two
/// legs on two threads can feed each other without any lock-order cycle.
/// </summary>
internal sealed class BridgeInbox
{
    /// <summary>256 ms of audio: a few frames of phase difference between the legs, and then some.</summary>
    private const int AudioCapacity = 2048;
    private const int EventCapacity = 16;
    private const int MaxEventPayload = 16;

    private readonly Lock _sync = new();
    private readonly byte[] _audio = new byte[AudioCapacity];
    private readonly byte[] _eventPayloads = new byte[EventCapacity * MaxEventPayload];
    private readonly int[] _eventLengths = new int[EventCapacity];
    private readonly uint[] _eventTimestamps = new uint[EventCapacity];
    private int _audioStart;
    private int _audioCount;
    private AudioPayloadType _audioPayloadType;
    private int _eventStart;
    private int _eventCount;

    /// <summary>Audio samples dropped because the reader fell behind.</summary>
    public long DroppedSamples { get; private set; }

    /// <summary>Event packets dropped because the reader fell behind.</summary>
    public long DroppedEvents { get; private set; }

    public void Clear()
    {
        lock (_sync)
        {
            _audioStart = 0;
            _audioCount = 0;
            _eventStart = 0;
            _eventCount = 0;
        }
    }

    /// <summary>Appends one played-out frame of the peer, encoded with <paramref name="payloadType"/>.</summary>
    public void WriteAudio(ReadOnlySpan<byte> frame, AudioPayloadType payloadType)
    {
        lock (_sync)
        {
            if (payloadType != _audioPayloadType)
            {
                // The peer changed codec (a re-INVITE): what is queued is in the old law.
                _audioPayloadType = payloadType;
                _audioStart = 0;
                _audioCount = 0;
            }

            if (frame.Length > AudioCapacity)
            {
                frame = frame[^AudioCapacity..];
            }

            int overflow = _audioCount + frame.Length - AudioCapacity;
            if (overflow > 0)
            {
                _audioStart = (_audioStart + overflow) % AudioCapacity;
                _audioCount -= overflow;
                DroppedSamples += overflow;
            }

            int end = (_audioStart + _audioCount) % AudioCapacity;
            int first = Math.Min(frame.Length, AudioCapacity - end);
            frame[..first].CopyTo(_audio.AsSpan(end));
            frame[first..].CopyTo(_audio);
            _audioCount += frame.Length;
        }
    }

    /// <summary>
    /// Takes <paramref name="destination"/>.Length samples converted to <paramref name="payloadType"/>, or
    /// fills it with that law's silence when not that much has arrived yet.
    /// </summary>
    /// <returns>True when the frame holds the peer's audio.</returns>
    public bool ReadAudio(Span<byte> destination, AudioPayloadType payloadType)
    {
        lock (_sync)
        {
            if (_audioCount < destination.Length)
            {
                destination.Fill(G711Payload.Silence(payloadType));
                return false;
            }

            int first = Math.Min(destination.Length, AudioCapacity - _audioStart);
            G711Payload.Convert(_audioPayloadType, _audio.AsSpan(_audioStart, first), payloadType, destination[..first]);
            G711Payload.Convert(_audioPayloadType, _audio.AsSpan(0, destination.Length - first), payloadType, destination[first..]);
            _audioStart = (_audioStart + destination.Length) % AudioCapacity;
            _audioCount -= destination.Length;
            return true;
        }
    }

    /// <summary>Queues one RFC 4733 packet payload the peer received with RTP timestamp <paramref name="timestamp"/>.</summary>
    public void EnqueueEvent(ReadOnlySpan<byte> payload, uint timestamp)
    {
        if (payload.Length < 4)
        {
            return;
        }

        if (payload.Length > MaxEventPayload)
        {
            payload = payload[..MaxEventPayload];
        }

        lock (_sync)
        {
            if (_eventCount == EventCapacity)
            {
                _eventStart = (_eventStart + 1) % EventCapacity;
                _eventCount--;
                DroppedEvents++;
            }

            int index = (_eventStart + _eventCount) % EventCapacity;
            payload.CopyTo(_eventPayloads.AsSpan(index * MaxEventPayload, MaxEventPayload));
            _eventLengths[index] = payload.Length;
            _eventTimestamps[index] = timestamp;
            _eventCount++;
        }
    }

    /// <summary>Takes the oldest queued event payload (at most 16 octets) into <paramref name="payload"/>.</summary>
    public bool TryDequeueEvent(Span<byte> payload, out int length, out uint timestamp)
    {
        lock (_sync)
        {
            if (_eventCount == 0)
            {
                length = 0;
                timestamp = 0;
                return false;
            }

            int index = _eventStart;
            length = Math.Min(_eventLengths[index], payload.Length);
            timestamp = _eventTimestamps[index];
            _eventPayloads.AsSpan(index * MaxEventPayload, length).CopyTo(payload);
            _eventStart = (_eventStart + 1) % EventCapacity;
            _eventCount--;
            return true;
        }
    }
}
