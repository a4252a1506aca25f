namespace Dialtone.Engine.Rtp.Statistics;

/// <summary>Round-trip time from a reception report's LSR and DLSR (RFC 3550 §6.4.1).</summary>
public static class RoundTripTime
{
    /// <summary>
    /// Computes A - LSR - DLSR, where A is the arrival time of the report in compact NTP units.
    /// No estimate exists when the remote has not received an SR from us yet (LSR = 0) or when the
    /// clock values do not make sense (a negative result).
    /// </summary>
    public static bool TryCompute(uint arrivalCompact, uint lastSenderReport, uint delaySinceLastSenderReport, out TimeSpan roundTripTime)
    {
        roundTripTime = TimeSpan.Zero;
        if (lastSenderReport == 0)
        {
            return false;
        }

        // All three are 16.16 fixed-point seconds that wrap; the difference is taken modulo 2^32.
        int compact = (int)(arrivalCompact - lastSenderReport - delaySinceLastSenderReport);
        if (compact < 0)
        {
            return false;
        }

        roundTripTime = TimeSpan.FromTicks((long)compact * TimeSpan.TicksPerSecond / 65536);
        return true;
    }
}
