namespace Dialtone.Engine.Rtp.Receiving;

/// <summary>How much received audio is held back before it is played out to sinks and bridges.</summary>
public sealed record JitterBufferOptions
{
    /// <summary>Buffered audio needed before playout starts; in adaptive mode, the smallest target. Default 60 ms.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>
    /// When true the target delay follows the measured interarrival jitter (three times the jitter plus
    /// one frame, never below <see cref="Delay"/>); when false it stays at <see cref="Delay"/>.
    /// </summary>
    public bool Adaptive { get; init; }

    /// <summary>Buffered audio beyond this is dropped so latency cannot grow without bound. Default 200 ms.</summary>
    public TimeSpan MaximumDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    internal void Validate()
    {
        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(Delay), Delay, "The jitter buffer delay must be between 0 and 1 s.");
        }

        if (MaximumDelay < Delay || MaximumDelay > TimeSpan.FromSeconds(2))
        {
            throw new ArgumentOutOfRangeException(nameof(MaximumDelay), MaximumDelay, "The maximum delay must be at least the delay and at most 2 s.");
        }
    }
}
