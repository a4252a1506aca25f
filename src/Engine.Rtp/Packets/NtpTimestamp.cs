namespace Dialtone.Engine.Rtp.Packets;

/// <summary>
/// Conversions to the 64-bit NTP timestamp format RTCP uses for wallclock time (RFC 3550 §4): seconds
/// since 1900-01-01 in the high 32 bits, the fraction of a second in the low 32.
/// </summary>
public static class NtpTimestamp
{
    // Seconds from the NTP epoch (1900) to the Unix epoch (1970).
    private const long UnixEpochOffsetSeconds = 2_208_988_800;

    /// <summary>The NTP timestamp of <paramref name="time"/>.</summary>
    public static ulong FromDateTimeOffset(DateTimeOffset time)
    {
        long ticksSinceUnixEpoch = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        long seconds = Math.DivRem(ticksSinceUnixEpoch, TimeSpan.TicksPerSecond, out long remainderTicks);
        ulong fraction = ((ulong)remainderTicks << 32) / TimeSpan.TicksPerSecond;
        return ((ulong)(seconds + UnixEpochOffsetSeconds) << 32) | fraction;
    }

    /// <summary>The middle 32 bits (16.16 fixed-point seconds) used by LSR and DLSR (RFC 3550 §6.4.1).</summary>
    public static uint ToCompact(ulong ntpTimestamp) => (uint)(ntpTimestamp >> 16);

    /// <summary>A duration in the 1/65536-second units of DLSR.</summary>
    public static uint ToCompactDuration(TimeSpan duration) =>
        duration <= TimeSpan.Zero ? 0 : (uint)Math.Min(uint.MaxValue, duration.Ticks * 65536 / TimeSpan.TicksPerSecond);

    /// <summary>A compact (16.16 seconds) duration as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan FromCompactDuration(uint compact) => TimeSpan.FromTicks((long)compact * TimeSpan.TicksPerSecond / 65536);
}
