using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Ends answered legs whose far end has stopped sending media (what Asterisk calls rtptimeout and
/// FreeSWITCH media_timeout): a far end that crashed, lost its BYE or its NAT binding would otherwise
/// hold the call, its ports and its billing open until the time limit. One timer for every leg, not
/// one per call: each check walks the watched legs and reads one timestamp of each, so thousands of
/// calls cost a few microseconds a second.
/// </summary>
/// <remarks>
/// Only a leg whose far end is meant to send is judged (<see cref="OutboundLeg.MediaSilence"/>): a far end
/// that put the call on hold with <c>a=inactive</c> or <c>a=recvonly</c> sends nothing by agreement
/// (RFC 3264 §6.1), and its silence is no sign of trouble. Anything well-formed that arrives, RTP or
/// RTCP, counts as a sign of life.
/// </remarks>
public sealed class MediaInactivityMonitor : IDisposable
{
    /// <summary>The error code a call hung up for media inactivity ends with (its status is still completed: it was answered).</summary>
    public const string ErrorCode = "media-timeout";

    /// <summary>The Reason header of the BYE (RFC 3326); 408 as for a session timer that ran out (RFC 4028 §10).</summary>
    private const string ByeReason = "SIP;cause=408;text=\"media timeout\"";

    private readonly Lock _lock = new();
    private readonly Dictionary<OutboundLeg, string> _watched = [];
    private readonly List<KeyValuePair<OutboundLeg, string>> _expired = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private long _timeouts;
    private int _checking;

    /// <param name="timeout">How long an answered leg may receive nothing while its far end should be sending.</param>
    /// <param name="time">The clock of the media engine (the streams' receive times are its timestamps).</param>
    /// <param name="logger">Where each media timeout is logged.</param>
    public MediaInactivityMonitor(TimeSpan timeout, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        Timeout = timeout;
        _time = time;
        _logger = logger;

        // Checked every second (more often for a timeout of a few seconds), so a silent leg ends at
        // most a check interval after its timeout.
        CheckInterval = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, timeout.Ticks / 4));
        _timer = time.CreateTimer(static state => ((MediaInactivityMonitor)state!).CheckNow(), this, CheckInterval, CheckInterval);
    }

    /// <summary>How long a leg may be silent (Rtp:InactivityTimeoutSeconds).</summary>
    public TimeSpan Timeout { get; }

    /// <summary>How often the legs are checked.</summary>
    public TimeSpan CheckInterval { get; }

    /// <summary>Legs hung up for media inactivity since the daemon started.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Legs being watched.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _watched.Count;
        }
    }

    /// <summary>Watches an answered leg until <see cref="Forget"/>.</summary>
    /// <param name="callSid">The leg's call sid, for the log line.</param>
    public void Watch(OutboundLeg leg, string callSid)
    {
        ArgumentNullException.ThrowIfNull(leg);
        lock (_lock)
            _watched[leg] = callSid;
    }

    /// <summary>Stops watching a leg (it ended, or is ending).</summary>
    public void Forget(OutboundLeg leg)
    {
        lock (_lock)
            _watched.Remove(leg);
    }

    /// <summary>Checks every watched leg now and hangs up those silent for longer than <see cref="Timeout"/> (the timer's work).</summary>
    public void CheckNow()
    {
        // A timer callback that runs late can meet the next one: the second gives way to the first.
        if (Interlocked.Exchange(ref _checking, 1) != 0)
            return;
        try
        {
            long now = _time.GetTimestamp();
            lock (_lock)
            {
                foreach (KeyValuePair<OutboundLeg, string> watched in _watched)
                {
                    if (watched.Key.MediaSilence(now) > Timeout)
                        _expired.Add(watched);
                }
                foreach (KeyValuePair<OutboundLeg, string> expired in _expired)
                    _watched.Remove(expired.Key);
            }

            // Outside the lock: a hang-up takes the SIP call's lock and sends the BYE.
            foreach ((OutboundLeg leg, string callSid) in _expired)
            {
                if (!leg.HangUpForMediaTimeout(ByeReason))
                    continue;
                Interlocked.Increment(ref _timeouts);
                _logger.LogWarning("call {CallSid}: media timeout: nothing received from the far end for {Seconds} s; hanging up",
                    callSid, Timeout.TotalSeconds);
            }
        }
        finally
        {
            _expired.Clear();
            Volatile.Write(ref _checking, 0);
        }
    }

    public void Dispose() => _timer.Dispose();
}
