namespace Dialtone.Engine.Sip.Timing;

/// <summary>
/// The RFC 3261 timer values (§17, Table 4) and RFC 6026's Timers L and M, derived from the three
/// base values T1, T2 and T4. Immutable; the defaults are the RFC's.
/// </summary>
public sealed record SipTimers
{
    private readonly TimeSpan _t1 = TimeSpan.FromMilliseconds(500);
    private readonly TimeSpan _t2 = TimeSpan.FromSeconds(4);
    private readonly TimeSpan _t4 = TimeSpan.FromSeconds(5);

    /// <summary>The RFC's values: T1 500 ms, T2 4 s, T4 5 s.</summary>
    public static SipTimers Default { get; } = new();

    /// <summary>RTT estimate; the first retransmission interval (RFC 3261 §17.1.1.1). Default 500 ms.</summary>
    public TimeSpan T1
    {
        get => _t1;
        init => _t1 = Positive(value, nameof(T1));
    }

    /// <summary>The longest retransmission interval of non-INVITE requests and INVITE responses. Default 4 s.</summary>
    public TimeSpan T2
    {
        get => _t2;
        init => _t2 = Positive(value, nameof(T2));
    }

    /// <summary>How long a message may stay in the network. Default 5 s.</summary>
    public TimeSpan T4
    {
        get => _t4;
        init => _t4 = Positive(value, nameof(T4));
    }

    /// <summary>Timer A: first INVITE retransmission interval (unreliable transports), doubling each time.</summary>
    public TimeSpan TimerA => T1;

    /// <summary>Timer B: INVITE client transaction timeout, 64*T1.</summary>
    public TimeSpan TimerB => 64 * T1;

    /// <summary>Timer E: first non-INVITE retransmission interval (unreliable transports).</summary>
    public TimeSpan TimerE => T1;

    /// <summary>Timer F: non-INVITE client transaction timeout, 64*T1.</summary>
    public TimeSpan TimerF => 64 * T1;

    /// <summary>Timer G: first INVITE final-response retransmission interval (unreliable transports).</summary>
    public TimeSpan TimerG => T1;

    /// <summary>Timer H: how long an INVITE server transaction waits for the ACK, 64*T1.</summary>
    public TimeSpan TimerH => 64 * T1;

    /// <summary>Timer L (RFC 6026 §8.7): INVITE server transaction's Accepted state, 64*T1.</summary>
    public TimeSpan TimerL => 64 * T1;

    /// <summary>Timer M (RFC 6026 §8.4): INVITE client transaction's Accepted state, 64*T1.</summary>
    public TimeSpan TimerM => 64 * T1;

    /// <summary>Timer D: wait for response retransmissions after a non-2xx final response to an
    /// INVITE; "&gt; 32 s" on an unreliable transport, zero on a reliable one.</summary>
    public TimeSpan TimerD(bool reliableTransport) => reliableTransport ? TimeSpan.Zero : TimeSpan.FromSeconds(32);

    /// <summary>Timer I: wait for ACK retransmissions; T4 unreliable, zero reliable.</summary>
    public TimeSpan TimerI(bool reliableTransport) => reliableTransport ? TimeSpan.Zero : T4;

    /// <summary>Timer J: wait for non-INVITE request retransmissions; 64*T1 unreliable, zero reliable.</summary>
    public TimeSpan TimerJ(bool reliableTransport) => reliableTransport ? TimeSpan.Zero : 64 * T1;

    /// <summary>Timer K: wait for response retransmissions; T4 unreliable, zero reliable.</summary>
    public TimeSpan TimerK(bool reliableTransport) => reliableTransport ? TimeSpan.Zero : T4;

    /// <summary>The interval after <paramref name="current"/> for Timer A: doubled, no cap (RFC 3261 §17.1.1.2).</summary>
    public TimeSpan NextTimerA(TimeSpan current) => RetransmitSchedule.Next(current, TimeSpan.MaxValue);

    /// <summary>The interval after <paramref name="current"/> for Timer E in the Trying state: doubled,
    /// capped at T2 (RFC 3261 §17.1.2.2). In the Proceeding state it is T2 each time.</summary>
    public TimeSpan NextTimerE(TimeSpan current) => RetransmitSchedule.Next(current, T2);

    /// <summary>The interval after <paramref name="current"/> for Timer G: doubled, capped at T2 (RFC 3261 §17.2.1).</summary>
    public TimeSpan NextTimerG(TimeSpan current) => RetransmitSchedule.Next(current, T2);

    /// <summary>When an INVITE is retransmitted over UDP before Timer B gives up.</summary>
    public RetransmitSchedule InviteRetransmits() => new(TimerA, TimeSpan.MaxValue, TimerB);

    /// <summary>When a non-INVITE request is retransmitted over UDP (no provisional response) before Timer F.</summary>
    public RetransmitSchedule NonInviteRetransmits() => new(TimerE, T2, TimerF);

    /// <summary>When a final response to an INVITE is retransmitted over UDP before Timer H.</summary>
    public RetransmitSchedule InviteResponseRetransmits() => new(TimerG, T2, TimerH);

    private static TimeSpan Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromMinutes(10))
            throw new ArgumentOutOfRangeException(name, value, "A SIP base timer must be positive and at most 10 minutes.");
        return value;
    }
}
