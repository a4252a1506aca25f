namespace Dialtone.Engine.Rtp.Statistics;

/// <summary>
/// The RTCP transmission interval of RFC 3550 §6.3.1 and Appendix A.7: the deterministic interval from
/// the session's RTCP bandwidth, the number of members and senders and the average RTCP packet size,
/// floored at the 5 s minimum (halved before the first report), then randomised by a factor in
/// [0.5, 1.5] and divided by e - 3/2 to compensate for timer reconsideration.
/// </summary>
public static class RtcpInterval
{
    /// <summary>The minimum deterministic interval (§6.2, RTCP_MIN_TIME).</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(5);

    /// <summary>Fraction of the session bandwidth given to RTCP (§6.2: 5 %).</summary>
    public const double RtcpBandwidthFraction = 0.05;

    /// <summary>Share of the RTCP bandwidth reserved for senders when they are few (§6.2: 25 %).</summary>
    public const double SenderBandwidthFraction = 0.25;

    /// <summary>e - 3/2: compensates the interval for the reconsideration algorithm converging early (§A.7).</summary>
    public const double Compensation = Math.E - 1.5;

    /// <summary>Computes the randomised interval to the next RTCP packet.</summary>
    /// <param name="members">Participants in the session, this one included.</param>
    /// <param name="senders">Participants that sent RTP since the last two reports.</param>
    /// <param name="rtcpBandwidth">The RTCP bandwidth in octets per second (5 % of the session bandwidth).</param>
    /// <param name="weSent">Whether this participant is a sender.</param>
    /// <param name="averageRtcpSize">Average compound RTCP size in octets, UDP and IP headers included (§6.3.3).</param>
    /// <param name="initial">True before the first report, when the minimum is halved (§6.2).</param>
    /// <param name="random">A uniform random number in [0, 1).</param>
    public static TimeSpan Compute(int members, int senders, double rtcpBandwidth, bool weSent, double averageRtcpSize, bool initial, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(senders);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rtcpBandwidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(averageRtcpSize);

        double minimumSeconds = Minimum.TotalSeconds;
        if (initial)
        {
            minimumSeconds /= 2;
        }

        // §A.7: when senders are at most a quarter of the members, they share 25 % of the RTCP bandwidth
        // and the receivers the rest, so a sender's interval is computed over the senders alone.
        double n = members;
        if (senders <= members * SenderBandwidthFraction)
        {
            if (weSent)
            {
                rtcpBandwidth *= SenderBandwidthFraction;
                n = senders;
            }
            else
            {
                rtcpBandwidth *= 1 - SenderBandwidthFraction;
                n -= senders;
            }
        }

        double seconds = Math.Max(averageRtcpSize * n / rtcpBandwidth, minimumSeconds);
        seconds *= random + 0.5;
        seconds /= Compensation;
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// The running average RTCP packet size after sending or receiving a packet of
    /// <paramref name="packetSize"/> octets (§6.3.3: avg = 1/16 * size + 15/16 * avg).
    /// </summary>
    public static double UpdateAverageSize(double averageRtcpSize, int packetSize) =>
        (packetSize / 16.0) + (averageRtcpSize * 15.0 / 16.0);
}
