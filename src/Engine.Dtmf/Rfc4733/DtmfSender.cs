using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Dtmf.Rfc4733;

/// <summary>
/// Sends digit strings as RFC 4733 telephone events, timed on the RTP clock of the stream it is
/// plugged into (as its <see cref="ITelephoneEventSource"/>): the stream asks at each packet slot, so
/// digits and pauses are whole slots of the stream's own timestamps and the packets share its SSRC and
/// sequence numbers.
/// </summary>
/// <remarks>
/// Per digit (RFC 4733 §2.5.1): the first packet has the M bit; all packets carry the event's onset as
/// their timestamp; one update per packet slot (ptime) with the duration so far — ptime rather than
/// 50 ms because it is the natural update interval §2.5.1.2 names, it replaces exactly the audio packet
/// the event pauses, and the receiver sees an unchanged packet rate; the final packet has the E bit and
/// is sent three times (§2.5.1.4); an event longer than the 16-bit duration field is split into
/// segments (§2.5.1.3). After the tone comes the gap; <c>w</c>/<c>W</c> add 0.5 s/1 s of pause, counted
/// on the RTP clock from where the previous step ended. Audio flows during gaps and pauses.
/// </remarks>
public sealed class DtmfSender : ITelephoneEventSource
{
    /// <summary>The telephone-event clock: 8 kHz like the G.711 audio it accompanies (RFC 4733 §2.1).</summary>
    public const int ClockRate = 8000;

    /// <summary>The largest duration one segment can carry (§2.5.1.3).</summary>
    public const int MaxSegmentDuration = 0xFFFF;

    /// <summary>How many times the final packet of an event or segment is sent (§2.5.1.4).</summary>
    public const int FinalPacketCopies = 3;

    private readonly Lock _sync = new();
    private readonly Queue<DtmfSendJob> _jobs = new();
    private readonly int _toneSamples;
    private readonly int _gapSamples;
    private readonly int _shortPauseSamples;
    private readonly int _longPauseSamples;
    private readonly byte _volume;

    // False while nothing is queued, being sent or ending: the media thread asks every stream at every
    // packet slot, and an idle sender (nearly all of them, nearly always) answers without the lock.
    // Set under the lock by SendAsync and cleared under it when the queue is found empty, so a string
    // queued meanwhile is never missed.
    private volatile bool _busy;

    private DtmfSendJob? _current;
    private int _cursor;
    private bool _anchored;
    private bool _hasTimeline;
    private uint _nextStart;

    private bool _inEvent;
    private byte _eventCode;
    private uint _eventStart;
    private uint _segmentStart;
    private bool _firstPacket;
    private int _endCopiesLeft;
    private int _segmentEndCopiesLeft;
    private ushort _lastDuration;
    private bool _stopAfterEvent;

    /// <summary>Creates a sender with <paramref name="options"/> (defaults: 100 ms tones, 100 ms gaps, volume 10).</summary>
    public DtmfSender(DtmfOptions? options = null)
    {
        DtmfOptions o = options ?? new DtmfOptions();
        o.Validate();
        _toneSamples = ToSamples(o.ToneDuration);
        _gapSamples = ToSamples(o.Gap);
        _shortPauseSamples = ToSamples(o.ShortPause);
        _longPauseSamples = ToSamples(o.LongPause);
        _volume = (byte)o.Volume;
    }

    /// <summary>True while digits are queued or being sent.</summary>
    public bool IsSending
    {
        get
        {
            lock (_sync)
            {
                return _current is not null || _inEvent || _jobs.Count > 0;
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="digits"/> (0-9 * # A-D, w, W). The task completes once the last digit's
    /// final packet and the gap after it (or a trailing pause) have passed on the RTP clock.
    /// </summary>
    /// <exception cref="ArgumentException">The string is empty or has a character outside the set.</exception>
    public Task SendAsync(string digits, CancellationToken cancellationToken = default)
    {
        DtmfDigits.Validate(digits, nameof(digits));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        var job = new DtmfSendJob(digits, cancellationToken);
        lock (_sync)
        {
            _jobs.Enqueue(job);
            _busy = true;
        }

        if (cancellationToken.CanBeCanceled)
        {
            job.Registration = cancellationToken.Register(static state => ((DtmfSendJob)state!).Completion.TrySetCanceled(((DtmfSendJob)state!).CancellationToken), job);
        }

        return job.Completion.Task;
    }

    /// <summary>
    /// Cancels everything queued. A digit being sent is ended properly (its final packet, three times)
    /// rather than cut off, so the receiver does not see a key held down.
    /// </summary>
    public void Cancel()
    {
        lock (_sync)
        {
            while (_jobs.TryDequeue(out DtmfSendJob? job))
            {
                job.Completion.TrySetCanceled();
            }

            if (_current is not null)
            {
                _current.Completion.TrySetCanceled();
                _current = null;
                _stopAfterEvent = _inEvent;
            }
        }
    }

    /// <inheritdoc/>
    public bool TryWritePacket(uint slotTimestamp, int samplesPerPacket, Span<byte> payload, out TelephoneEventPacket packet)
    {
        if (!_busy)
        {
            packet = default;
            return false;
        }

        lock (_sync)
        {
            if (_inEvent)
            {
                return ContinueEvent(slotTimestamp, samplesPerPacket, payload, out packet);
            }

            while (true)
            {
                if (_current is null)
                {
                    if (!_jobs.TryDequeue(out _current))
                    {
                        _busy = false;
                        packet = default;
                        return false;
                    }

                    _cursor = 0;
                    _anchored = false;
                }

                if (!_anchored)
                {
                    // The string's timeline starts at the first slot it is asked about, but not before the
                    // gap after a previous string's last digit has passed.
                    _anchored = true;
                    if (!_hasTimeline || (int)(slotTimestamp - _nextStart) > 0)
                    {
                        _nextStart = slotTimestamp;
                    }

                    _hasTimeline = true;
                }

                if ((int)(slotTimestamp - _nextStart) < 0)
                {
                    // In a gap or pause: the slot carries audio. Decided from this sender's own fields,
                    // before the job is looked at: a "WW" prefix is a hundred slots of this, and reaching
                    // the job's completion is three dependent cache misses per slot.
                    packet = default;
                    return false;
                }

                if (_current.Completion.Task.IsCompleted)
                {
                    // Cancelled (its token fired) while queued or in a pause: dropped now, when the next
                    // string could start anyway, since a string waits for the pause before it (anchoring).
                    _current = null;
                    continue;
                }

                if (_cursor == _current.Digits.Length)
                {
                    _current.Registration.Dispose();
                    _current.Completion.TrySetResult();
                    _current = null;
                    continue;
                }

                char c = _current.Digits[_cursor++];
                if (DtmfDigits.IsPause(c))
                {
                    // Pauses run from where the previous step ended, so "WWWW1" starts the 1 exactly 4 s in.
                    _nextStart += (uint)(c == 'W' ? _longPauseSamples : _shortPauseSamples);
                    continue;
                }

                DtmfDigits.TryGetEventCode(c, out byte code);
                StartEvent(code, slotTimestamp);
                return ContinueEvent(slotTimestamp, samplesPerPacket, payload, out packet);
            }
        }
    }

    private void StartEvent(byte code, uint slotTimestamp)
    {
        _inEvent = true;
        _eventCode = code;
        _eventStart = slotTimestamp;
        _segmentStart = slotTimestamp;
        _firstPacket = true;
        _endCopiesLeft = 0;
        _segmentEndCopiesLeft = 0;
        _nextStart = slotTimestamp + (uint)_toneSamples + (uint)_gapSamples;
    }

    private bool ContinueEvent(uint slotTimestamp, int samplesPerPacket, Span<byte> payload, out TelephoneEventPacket packet)
    {
        if (_endCopiesLeft > 0)
        {
            // §2.5.1.4: the final packet again, same timestamp and duration.
            _endCopiesLeft--;
            if (_endCopiesLeft == 0)
            {
                _inEvent = false;
                _stopAfterEvent = false;
            }

            return Write(payload, end: true, _lastDuration, marker: false, out packet);
        }

        if (_segmentEndCopiesLeft > 0)
        {
            _segmentEndCopiesLeft--;
            Write(payload, end: false, MaxSegmentDuration, marker: false, out packet);
            if (_segmentEndCopiesLeft == 0)
            {
                // §2.5.1.3: the next segment starts where this one's maximum duration ended.
                _segmentStart += MaxSegmentDuration;
            }

            return true;
        }

        // The packet reports the event up to the end of this slot's packet interval.
        long elapsed = (long)(int)(slotTimestamp - _eventStart) + samplesPerPacket;
        bool last = elapsed >= _toneSamples || _stopAfterEvent;
        if (elapsed > _toneSamples)
        {
            elapsed = _toneSamples;
        }

        long segmentDuration = elapsed - (long)(_segmentStart - _eventStart);
        bool marker = _firstPacket;
        _firstPacket = false;
        if (segmentDuration > MaxSegmentDuration)
        {
            // The segment is full: its final packet reports the maximum, without E, three times; the
            // event then goes on in a new segment (§2.5.1.3).
            _segmentEndCopiesLeft = FinalPacketCopies - 1;
            return Write(payload, end: false, MaxSegmentDuration, marker, out packet);
        }

        _lastDuration = (ushort)Math.Max(0, segmentDuration);
        if (last)
        {
            _endCopiesLeft = FinalPacketCopies - 1;
            return Write(payload, end: true, _lastDuration, marker, out packet);
        }

        return Write(payload, end: false, _lastDuration, marker, out packet);
    }

    private bool Write(Span<byte> payload, bool end, ushort duration, bool marker, out TelephoneEventPacket packet)
    {
        new TelephoneEvent(_eventCode, end, _volume, duration).Write(payload);
        packet = new TelephoneEventPacket(_segmentStart, marker, TelephoneEvent.Length);
        return true;
    }

    private static int ToSamples(TimeSpan duration) => (int)(duration.Ticks * ClockRate / TimeSpan.TicksPerSecond);
}
