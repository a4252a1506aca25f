namespace Dialtone.Engine.Rtp.Audio;

/// <summary>Silence for a set time (a Pause verb) or without end (a hold with nothing to play).</summary>
public sealed class SilenceAudioSource : IRewindableAudioSource
{
    private readonly long _totalSamples;
    private long _position;

    /// <summary>Silence for <paramref name="duration"/>, or without end when it is null.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    public SilenceAudioSource(TimeSpan? duration = null)
    {
        if (duration is { } length)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(length, TimeSpan.Zero, nameof(duration));
            _totalSamples = (long)Math.Round(length.TotalSeconds * PcmResampler.OutputRate);
        }
        else
        {
            _totalSamples = long.MaxValue;
        }
    }

    /// <summary>Silence for a number of 8 kHz samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is negative.</exception>
    public static SilenceAudioSource ForSamples(long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        return new SilenceAudioSource(TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / PcmResampler.OutputRate));
    }

    /// <inheritdoc />
    public bool Completed => _position >= _totalSamples;

    /// <inheritdoc />
    public int Read(Span<short> destination)
    {
        int count = (int)Math.Min(destination.Length, _totalSamples - _position);
        destination[..count].Clear();
        _position += count;
        return count;
    }

    /// <inheritdoc />
    public bool Rewind()
    {
        _position = 0;
        return true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
