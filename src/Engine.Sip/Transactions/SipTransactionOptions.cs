using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>Settings of a <see cref="SipTransactionLayer"/>.</summary>
public sealed class SipTransactionOptions
{
    /// <summary>T1, T2, T4 and the timers derived from them (RFC 3261 Table 4).</summary>
    public SipTimers Timers { get; init; } = SipTimers.Default;

    /// <summary>
    /// How long an INVITE server transaction waits for the TU's first response before it sends
    /// 100 Trying itself (RFC 3261 §17.2.1: "if the TU will not generate a response within 200 ms").
    /// Zero sends 100 Trying at once.
    /// </summary>
    public TimeSpan TryingDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>What requests the endpoint accepts (methods, option tags, body types): the validator's verdicts are answered by the layer.</summary>
    public SipValidatorOptions Validation { get; init; } = new();

    /// <summary>The Allow header value sent with a 405 (RFC 3261 §21.4.6) and by the TU in its own messages.</summary>
    public string AllowHeader { get; init; } = "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO";

    /// <summary>Most header lines an incoming message may have; more is unparseable.</summary>
    public int MaxHeaders { get; init; } = SipMessage.DefaultMaxHeaders;

    /// <summary>Pooled transactions and buffers kept for reuse, each kind (beyond it, they are left to the GC).</summary>
    public int PoolCapacity { get; init; } = 65536;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Timers);
        ArgumentNullException.ThrowIfNull(Validation);
        ArgumentNullException.ThrowIfNull(AllowHeader);
        if (TryingDelay < TimeSpan.Zero || TryingDelay > TimeSpan.FromSeconds(10))
            throw new ArgumentOutOfRangeException(nameof(TryingDelay), TryingDelay, "TryingDelay must be between 0 and 10 s.");
        if (MaxHeaders is < 16 or > 4096)
            throw new ArgumentOutOfRangeException(nameof(MaxHeaders), MaxHeaders, "MaxHeaders must be 16-4096.");
        if (PoolCapacity is < 0 or > 10_000_000)
            throw new ArgumentOutOfRangeException(nameof(PoolCapacity), PoolCapacity, "PoolCapacity must be 0-10,000,000.");
    }
}
