using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Dtmf.Rfc4733;

/// <summary>
/// Turns received RFC 4733 packets into digits, each reported once. An event is identified by its
/// SSRC and timestamp (RFC 4733 §2.5.2.1: all packets of an event share the timestamp), so updates and
/// the three copies of the end are folded into the digit already seen, and the next segment of a long
/// event (timestamp advanced by 0xFFFF, §2.5.1.3) continues it.
/// </summary>
/// <remarks>
/// <para><see cref="DigitReceived"/> fires at the first packet of an event that arrives, not at its
/// end: a Gather with finishOnKey or numDigits reacts while the key is still down, and losing any
/// packets, the end ones included, cannot lose the digit. <see cref="DigitCompleted"/> follows once
/// per digit with the full duration, at the end packet or, when every end packet was lost, after
/// <see cref="DtmfOptions.EndTimeout"/> without a packet (on the time provider's timer), or when the
/// next event begins.</para>
/// <para>Threads: packets arrive on the stream's receive path (its media thread when the engine polls,
/// which is the default; its receive loop otherwise), the timeout on a timer thread; the
/// events are raised outside the receiver's lock and must not block.</para>
/// </remarks>
public sealed class DtmfReceiver : ITelephoneEventListener, IDisposable
{
    private const uint SegmentLength = DtmfSender.MaxSegmentDuration;

    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly TimeSpan _endTimeout;
    private readonly ITimer _timer;
    private bool _hasEvent;
    private bool _ended;
    private uint _ssrc;
    private uint _eventTimestamp;
    private uint _segmentTimestamp;
    private long _previousSegments;
    private ushort _segmentDuration;
    private char _digit;
    private long _lastPacketTicks;
    private bool _disposed;

    /// <summary>Creates a receiver whose lost-end timeout runs on <paramref name="timeProvider"/>.</summary>
    public DtmfReceiver(TimeProvider timeProvider, DtmfOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        DtmfOptions o = options ?? new DtmfOptions();
        o.Validate();
        _endTimeout = o.EndTimeout;
        _time = timeProvider;
        _timer = timeProvider.CreateTimer(static state => ((DtmfReceiver)state!).OnTimeout(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A digit, once, at the first packet of its event.</summary>
    public event Action<DtmfDigit>? DigitReceived;

    /// <summary>The same digit, once, when its event ended (or was taken as ended), with its duration.</summary>
    public event Action<DtmfDigit>? DigitCompleted;

    /// <summary>Event packets ignored: too short, not a DTMF event code, or from an event already past.</summary>
    public long IgnoredPackets { get; private set; }

    /// <summary>Events whose end never arrived and were ended by the timeout or by the next event.</summary>
    public long LostEnds { get; private set; }

    /// <inheritdoc/>
    public void OnTelephoneEvent(ReadOnlySpan<byte> payload, uint ssrc, uint timestamp, bool marker)
    {
        DtmfDigit completedBefore = default;
        DtmfDigit received = default;
        DtmfDigit completed = default;
        bool raiseCompletedBefore = false;
        bool raiseReceived = false;
        bool raiseCompleted = false;
        lock (_sync)
        {
            if (_disposed)
            {
                return;
            }

            if (!TelephoneEvent.TryRead(payload, out TelephoneEvent telephoneEvent)
                || !DtmfDigits.TryGetDigit(telephoneEvent.EventCode, out char digit))
            {
                IgnoredPackets++;
                return;
            }

            bool sameSource = _hasEvent && ssrc == _ssrc;
            if (sameSource && timestamp == _segmentTimestamp && digit == _digit)
            {
                // An update or a retransmitted end of the event being tracked.
                if (_ended)
                {
                    return;
                }

                _segmentDuration = Math.Max(_segmentDuration, telephoneEvent.Duration);
            }
            else if (sameSource && !_ended && digit == _digit && timestamp == _segmentTimestamp + SegmentLength)
            {
                // The next segment of a long event.
                _previousSegments += SegmentLength;
                _segmentTimestamp = timestamp;
                _segmentDuration = telephoneEvent.Duration;
            }
            else if (sameSource && (int)(timestamp - _eventTimestamp) <= 0)
            {
                // A late packet of this or an earlier event (reordered behind a newer one).
                IgnoredPackets++;
                return;
            }
            else
            {
                if (_hasEvent && !_ended)
                {
                    // A new event began before the previous one's end arrived.
                    LostEnds++;
                    completedBefore = new DtmfDigit(_digit, CurrentDuration, DtmfSource.Rfc4733);
                    raiseCompletedBefore = true;
                }

                _hasEvent = true;
                _ended = false;
                _ssrc = ssrc;
                _digit = digit;
                _eventTimestamp = timestamp;
                _segmentTimestamp = timestamp;
                _previousSegments = 0;
                _segmentDuration = telephoneEvent.Duration;
                received = new DtmfDigit(digit, CurrentDuration, DtmfSource.Rfc4733);
                raiseReceived = true;
            }

            if (telephoneEvent.End)
            {
                _ended = true;
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                completed = new DtmfDigit(_digit, CurrentDuration, DtmfSource.Rfc4733);
                raiseCompleted = true;
            }
            else
            {
                _lastPacketTicks = _time.GetTimestamp();
                _timer.Change(_endTimeout, Timeout.InfiniteTimeSpan);
            }
        }

        if (raiseCompletedBefore)
        {
            DigitCompleted?.Invoke(completedBefore);
        }

        if (raiseReceived)
        {
            DigitReceived?.Invoke(received);
        }

        if (raiseCompleted)
        {
            DigitCompleted?.Invoke(completed);
        }
    }

    /// <summary>Stops the timeout; no event is raised afterwards.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _disposed = true;
        }

        _timer.Dispose();
    }

    private TimeSpan CurrentDuration =>
        TimeSpan.FromTicks((_previousSegments + _segmentDuration) * TimeSpan.TicksPerSecond / DtmfSender.ClockRate);

    private void OnTimeout()
    {
        DtmfDigit completed;
        lock (_sync)
        {
            if (_disposed || !_hasEvent || _ended)
            {
                return;
            }

            TimeSpan quiet = _time.GetElapsedTime(_lastPacketTicks);
            if (quiet < _endTimeout)
            {
                // A packet slipped in while this callback was on its way: wait out the rest.
                _timer.Change(_endTimeout - quiet, Timeout.InfiniteTimeSpan);
                return;
            }

            _ended = true;
            LostEnds++;
            completed = new DtmfDigit(_digit, CurrentDuration, DtmfSource.Rfc4733);
        }

        DigitCompleted?.Invoke(completed);
    }
}
