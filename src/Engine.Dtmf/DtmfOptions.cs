namespace Dialtone.Engine.Dtmf;

/// <summary>Timing and level of the DTMF digits this side sends and how long a received digit may stay open.</summary>
public sealed record DtmfOptions
{
    /// <summary>How long each digit's tone lasts. Default 100 ms.</summary>
    public TimeSpan ToneDuration { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Silence between the end of one digit and the start of the next. Default 100 ms.</summary>
    public TimeSpan Gap { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The pause a <c>w</c> makes. Default 0.5 s (the seed spec).</summary>
    public TimeSpan ShortPause { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The pause a <c>W</c> makes. Default 1 s (the seed spec).</summary>
    public TimeSpan LongPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The event's power level in -dBm0 (RFC 4733 §2.3.4, 0-63). Default 10, i.e. -10 dBm0, a typical
    /// DTMF level.
    /// </summary>
    public int Volume { get; init; } = 10;

    /// <summary>
    /// A received event that gets no packet for this long is taken as ended (its end packets were lost).
    /// Default 500 ms, ten times the update interval RFC 4733 §2.5.1.2 recommends.
    /// </summary>
    public TimeSpan EndTimeout { get; init; } = TimeSpan.FromMilliseconds(500);

    internal void Validate()
    {
        if (ToneDuration < TimeSpan.FromMilliseconds(10) || ToneDuration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(ToneDuration), ToneDuration, "The tone duration must be between 10 ms and 60 s.");
        }

        CheckRange(Gap, nameof(Gap));
        CheckRange(ShortPause, nameof(ShortPause));
        CheckRange(LongPause, nameof(LongPause));
        if (Volume is < 0 or > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(Volume), Volume, "The volume is 0-63 (-dBm0).");
        }

        if (EndTimeout < TimeSpan.FromMilliseconds(50) || EndTimeout > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(EndTimeout), EndTimeout, "The end timeout must be between 50 ms and 10 s.");
        }
    }

    private static void CheckRange(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero || value > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be between 0 and 60 s.");
        }
    }
}
