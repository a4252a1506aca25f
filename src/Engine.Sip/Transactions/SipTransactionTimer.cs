namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// The kinds a transaction passes to <see cref="Timing.TimingWheel.Schedule"/>, one per timer of
/// RFC 3261 §17 (Table 4) and RFC 6026, plus the 200 ms "send 100 Trying" timer of §17.2.1.
/// </summary>
internal static class SipTransactionTimer
{
    /// <summary>INVITE client retransmission (unreliable transports).</summary>
    public const int A = 1;
    /// <summary>INVITE client timeout in Calling.</summary>
    public const int B = 2;
    /// <summary>INVITE client wait for response retransmissions in Completed.</summary>
    public const int D = 3;
    /// <summary>Non-INVITE client retransmission.</summary>
    public const int E = 4;
    /// <summary>Non-INVITE client timeout.</summary>
    public const int F = 5;
    /// <summary>Non-INVITE client wait for response retransmissions in Completed.</summary>
    public const int K = 6;
    /// <summary>INVITE server final-response retransmission.</summary>
    public const int G = 7;
    /// <summary>INVITE server wait for the ACK.</summary>
    public const int H = 8;
    /// <summary>INVITE server wait for ACK retransmissions in Confirmed.</summary>
    public const int I = 9;
    /// <summary>Non-INVITE server wait for request retransmissions in Completed.</summary>
    public const int J = 10;
    /// <summary>RFC 6026: INVITE server in Accepted.</summary>
    public const int L = 11;
    /// <summary>RFC 6026: INVITE client in Accepted.</summary>
    public const int M = 12;
    /// <summary>INVITE server: send 100 Trying when the TU has not answered within 200 ms (§17.2.1).</summary>
    public const int Trying = 13;
}
