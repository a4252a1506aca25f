using System.Numerics;

namespace Dialtone.Engine.Rtp.Receiving;

/// <summary>
/// A playout buffer for received G.711 audio, indexed by RTP timestamp. G.711 carries one octet per
/// sample, so the buffer is a ring of payload octets: packets land where their timestamp says (which
/// reorders them and lets a peer use any packet time), gaps play out as the codec's silence (loss
/// concealment), and playout starts once the target delay is buffered. A new SSRC starts over (RFC 3550
/// §8.2: a new source); timestamps are compared modulo 2^32 so wrap is invisible. Not thread-safe: the
/// owning stream serialises access.
/// </summary>
public sealed class JitterBuffer
{
    /// <summary>The G.711 sampling rate (RFC 3551 §4.5.14): octets per second.</summary>
    public const int ClockRate = 8000;

    // The ring and which of its samples arrived (one bit each: a bool per sample would be 4 KB a
    // stream). Both are made on the first packet written: a stream only plays out what it receives
    // when something listens (a recording, a bridge, a detector), and a call that only talks, the
    // usual outbound notification, then never holds these 4.5 KB.
    private byte[] _samples = [];
    private ulong[] _present = [];
    private readonly int _capacity;
    private readonly int _mask;
    private readonly int _minimumDepth;
    private readonly int _maximumDepth;
    private readonly bool _adaptive;

    private bool _hasSsrc;
    private uint _ssrc;
    private bool _started;
    private bool _playing;
    private bool _resyncOnNextWrite;
    private uint _playout;
    private uint _newestEnd;

    /// <summary>Creates a buffer with <paramref name="options"/> for frames of up to <paramref name="maximumFrameSamples"/>.</summary>
    public JitterBuffer(JitterBufferOptions options, int maximumFrameSamples)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maximumFrameSamples);
        _minimumDepth = ToSamples(options.Delay);
        _maximumDepth = Math.Max(ToSamples(options.MaximumDelay), _minimumDepth + maximumFrameSamples);
        _adaptive = options.Adaptive;
        TargetDepth = _minimumDepth;

        // Room for the deepest allowed backlog plus a few frames arriving ahead of it.
        // At least 64: the arrival bits are kept in whole 64-bit words.
        _capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(64, _maximumDepth + (4 * maximumFrameSamples)));
        _mask = _capacity - 1;
    }

    /// <summary>Whether the ring has been made (on the first packet written).</summary>
    public bool HasStorage => _samples.Length != 0;

    /// <summary>Samples that must be buffered before playout starts (and that the buffer steers towards).</summary>
    public int TargetDepth { get; private set; }

    /// <summary>Samples buffered ahead of the playout point.</summary>
    public int BufferedSamples => _started ? Math.Max(0, (int)(_newestEnd - _playout)) : 0;

    /// <summary>Packets (or parts) that arrived after their playout time and were dropped.</summary>
    public long LatePackets { get; private set; }

    /// <summary>Samples played as silence because their packet was missing.</summary>
    public long ConcealedSamples { get; private set; }

    /// <summary>Samples skipped because the backlog grew past the maximum delay.</summary>
    public long DroppedSamples { get; private set; }

    /// <summary>Times the buffer ran dry while playing and had to fill up again.</summary>
    public long Underruns { get; private set; }

    /// <summary>Forgets all buffered audio and the source.</summary>
    public void Reset()
    {
        Array.Clear(_present);
        _hasSsrc = false;
        _started = false;
        _playing = false;
        _resyncOnNextWrite = false;
        _playout = 0;
        _newestEnd = 0;
    }

    /// <summary>
    /// In adaptive mode, sets the target from the interarrival jitter (RFC 3550 §A.8, in samples):
    /// three jitters and a frame cover nearly all arrivals of a roughly normal delay distribution.
    /// </summary>
    public void AdaptTo(uint jitterSamples, int frameSamples)
    {
        if (_adaptive)
        {
            long target = (3L * jitterSamples) + frameSamples;
            TargetDepth = (int)Math.Clamp(target, _minimumDepth, _maximumDepth);
        }
    }

    /// <summary>Stores the payload of one packet of <paramref name="ssrc"/> stamped <paramref name="timestamp"/>.</summary>
    public void Write(uint ssrc, uint timestamp, ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        if (_samples.Length == 0)
        {
            _samples = new byte[_capacity];
            _present = new ulong[_capacity / 64];
        }

        if (payload.Length > _samples.Length)
        {
            // More than the ring holds (a hostile or broken sender): only the newest part can matter.
            timestamp += (uint)(payload.Length - _samples.Length);
            payload = payload[^_samples.Length..];
        }

        if (!_hasSsrc || ssrc != _ssrc)
        {
            Reset();
            _hasSsrc = true;
            _ssrc = ssrc;
        }

        if (!_started || (_resyncOnNextWrite && (int)(timestamp - _playout) > 0))
        {
            // Playout begins (again) at this packet: after an underrun the sender may have paused
            // (silence suppression, a DTMF event, hold), and playing the pause as silence would only add delay.
            Array.Clear(_present);
            _playout = timestamp;
            _newestEnd = timestamp;
            _started = true;
            _playing = false;
            _resyncOnNextWrite = false;
        }

        int offset = (int)(timestamp - _playout);
        if (offset < 0)
        {
            if (offset + payload.Length <= 0)
            {
                LatePackets++;
                return;
            }

            // The front of the packet is already played; keep the part still ahead.
            LatePackets++;
            payload = payload[(-offset)..];
            timestamp = _playout;
            offset = 0;
        }

        if (offset + payload.Length > _samples.Length)
        {
            // Far beyond what the ring holds: the sender jumped. Restart playout at this packet.
            Array.Clear(_present);
            _playout = timestamp;
            _newestEnd = timestamp;
            _playing = false;
            offset = 0;
        }

        // At most two contiguous pieces: up to the end of the ring, then from its start.
        int start = (int)timestamp & _mask;
        int first = Math.Min(payload.Length, _samples.Length - start);
        payload[..first].CopyTo(_samples.AsSpan(start));
        SetBits(_present, start, first, value: true);
        payload[first..].CopyTo(_samples);
        SetBits(_present, 0, payload.Length - first, value: true);

        uint end = timestamp + (uint)payload.Length;
        if ((int)(end - _newestEnd) > 0)
        {
            _newestEnd = end;
        }
    }

    /// <summary>
    /// Plays out the next <paramref name="frame"/>.Length samples, filling gaps with <paramref name="silence"/>
    /// (the codec's silence octet).
    /// </summary>
    /// <returns>The number of samples that came from received packets (0: the frame is all silence).</returns>
    public int Read(Span<byte> frame, byte silence)
    {
        if (!_started)
        {
            frame.Fill(silence);
            return 0;
        }

        int buffered = (int)(_newestEnd - _playout);
        if (!_playing)
        {
            if (buffered < Math.Max(TargetDepth, frame.Length))
            {
                frame.Fill(silence);
                return 0;
            }

            _playing = true;
        }

        if (buffered <= 0)
        {
            // Nothing at all ahead of the playout point: stop and fill up to the target again.
            Underruns++;
            _playing = false;
            _resyncOnNextWrite = true;
            frame.Fill(silence);
            return 0;
        }

        if (buffered > _maximumDepth)
        {
            // Too much backlog (a burst, or a sender clock running fast): skip ahead to the target.
            Skip(buffered - frame.Length - TargetDepth);
        }
        else if (_adaptive && buffered - frame.Length > TargetDepth + frame.Length)
        {
            // Adaptive mode shrinks towards a lower target one frame at a time, never by a long jump.
            Skip(frame.Length);
        }

        int position = (int)_playout & _mask;
        int firstPart = Math.Min(frame.Length, _samples.Length - position);
        int fromPackets = TakePiece(position, frame[..firstPart], silence)
            + TakePiece(0, frame[firstPart..], silence);

        ConcealedSamples += frame.Length - fromPackets;
        _playout += (uint)frame.Length;
        return fromPackets;
    }

    /// <summary>Copies one contiguous piece of the ring out, silence where nothing arrived, and frees it.</summary>
    private int TakePiece(int start, Span<byte> destination, byte silence)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        _samples.AsSpan(start, destination.Length).CopyTo(destination);
        int fromPackets = destination.Length;
        if (!AllBitsSet(_present, start, destination.Length))
        {
            // Some of it is missing (loss, or not yet arrived): conceal sample by sample.
            fromPackets = 0;
            for (int i = 0; i < destination.Length; i++)
            {
                int index = start + i;
                if ((_present[index >> 6] & (1UL << (index & 63))) != 0)
                {
                    fromPackets++;
                }
                else
                {
                    destination[i] = silence;
                }
            }
        }

        SetBits(_present, start, destination.Length, value: false);
        return fromPackets;
    }

    private void Skip(int samples)
    {
        if (samples <= 0)
        {
            return;
        }

        int start = (int)_playout & _mask;
        int first = Math.Min(samples, _samples.Length - start);
        SetBits(_present, start, first, value: false);
        SetBits(_present, 0, Math.Min(samples - first, _samples.Length), value: false);
        _playout += (uint)samples;
        DroppedSamples += samples;
    }

    private static int ToSamples(TimeSpan duration) => (int)(duration.Ticks * ClockRate / TimeSpan.TicksPerSecond);

    /// <summary>Sets or clears <paramref name="count"/> bits from <paramref name="start"/> (no wrap: callers split at the ring's end).</summary>
    private static void SetBits(ulong[] bits, int start, int count, bool value)
    {
        int end = start + count;
        while (start < end)
        {
            int take = Math.Min(64 - (start & 63), end - start);
            ulong mask = RangeMask(start & 63, take);
            if (value)
            {
                bits[start >> 6] |= mask;
            }
            else
            {
                bits[start >> 6] &= ~mask;
            }

            start += take;
        }
    }

    /// <summary>Whether every bit of <paramref name="count"/> from <paramref name="start"/> is set (no wrap).</summary>
    private static bool AllBitsSet(ulong[] bits, int start, int count)
    {
        int end = start + count;
        while (start < end)
        {
            int take = Math.Min(64 - (start & 63), end - start);
            ulong mask = RangeMask(start & 63, take);
            if ((bits[start >> 6] & mask) != mask)
            {
                return false;
            }

            start += take;
        }

        return true;
    }

    private static ulong RangeMask(int firstBit, int count) =>
        count == 64 ? ulong.MaxValue : ((1UL << count) - 1) << firstBit;
}
