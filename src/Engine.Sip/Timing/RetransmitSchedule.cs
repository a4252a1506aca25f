namespace Dialtone.Engine.Sip.Timing;

/// <summary>
/// The retransmission instants of a SIP request or response over an unreliable transport: the
/// first after <see cref="FirstInterval"/>, each interval then doubled up to <see cref="MaxInterval"/>
/// (RFC 3261 §17.1.1.2, §17.1.2.2, §17.2.1), all strictly before <see cref="Timeout"/>.
/// Enumerating yields each instant as an offset from the first transmission; allocates nothing.
/// </summary>
/// <example>With the defaults, <c>SipTimers.Default.InviteRetransmits()</c> yields 0.5, 1.5, 3.5,
/// 7.5, 15.5 and 31.5 s, and Timer B ends the transaction at 32 s.</example>
public readonly struct RetransmitSchedule
{
    public RetransmitSchedule(TimeSpan firstInterval, TimeSpan maxInterval, TimeSpan timeout)
    {
        if (firstInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(firstInterval), firstInterval, "The first interval must be positive.");
        if (maxInterval < firstInterval)
            throw new ArgumentOutOfRangeException(nameof(maxInterval), maxInterval, "The cap must not be below the first interval.");
        FirstInterval = firstInterval;
        MaxInterval = maxInterval;
        Timeout = timeout;
    }

    public TimeSpan FirstInterval { get; }

    public TimeSpan MaxInterval { get; }

    /// <summary>The transaction timeout (B, F or H); no retransmission is sent at or after it.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Doubles <paramref name="interval"/>, capped at <paramref name="max"/> (and never overflowing).</summary>
    public static TimeSpan Next(TimeSpan interval, TimeSpan max) =>
        interval.Ticks > max.Ticks / 2 ? max : TimeSpan.FromTicks(interval.Ticks * 2);

    public Enumerator GetEnumerator() => new(this);

    public struct Enumerator
    {
        private readonly RetransmitSchedule _schedule;
        private TimeSpan _interval;
        private TimeSpan _at;

        internal Enumerator(RetransmitSchedule schedule)
        {
            _schedule = schedule;
            _interval = TimeSpan.Zero;
            _at = TimeSpan.Zero;
        }

        /// <summary>The offset from the first transmission at which this retransmission is sent.</summary>
        public readonly TimeSpan Current => _at;

        /// <summary>The interval that ended at <see cref="Current"/>.</summary>
        public readonly TimeSpan Interval => _interval;

        public bool MoveNext()
        {
            if (_schedule.FirstInterval <= TimeSpan.Zero)
                return false; // default(RetransmitSchedule): nothing to send.

            var next = _interval == TimeSpan.Zero ? _schedule.FirstInterval : Next(_interval, _schedule.MaxInterval);
            if (next >= _schedule.Timeout - _at)
                return false;
            _interval = next;
            _at += next;
            return true;
        }
    }
}
