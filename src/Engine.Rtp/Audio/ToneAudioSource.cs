namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// A sine tone, or the sum of two (a DTMF-style dual tone), for a set time or without end:
/// the beep before a recording, a ring-back or dial tone, a digit played in-band.
/// </summary>
/// <remarks>
/// Samples come from a two-term recurrence (y[n] = 2·cos(ω)·y[n−1] − y[n−2]), one multiply-add per
/// sample and tone; the recurrence is re-seeded from the exact phase on every read, so an endless
/// tone neither drifts in pitch nor in level.
/// </remarks>
public sealed class ToneAudioSource : IRewindableAudioSource
{
    // G.711 §4: a sine wave at the codec's maximum level is +3.17 dBm0 (µ-law); its peak in
    // 16-bit terms is 8,159 × 4.
    private const double FullScaleDbm0 = 3.17;
    private const double FullScalePeak = 8159 * 4;

    private readonly double _firstOmega;
    private readonly double _secondOmega;
    private readonly double _firstPeak;
    private readonly double _secondPeak;
    private readonly long _totalSamples;
    private long _position;

    /// <summary>A single tone of <paramref name="frequency"/> Hz with peak amplitude <paramref name="peak"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frequency is not in (0, 4000) Hz, the peak is negative, or the duration is negative.</exception>
    public ToneAudioSource(double frequency, short peak, TimeSpan? duration = null)
        : this(frequency, peak, 0, 0, duration)
    {
    }

    /// <summary>Two tones added together, each with its own peak amplitude (their sum saturates at the 16-bit limits).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A frequency is not in (0, 4000) Hz, a peak is negative, or the duration is negative.</exception>
    public ToneAudioSource(double firstFrequency, short firstPeak, double secondFrequency, short secondPeak, TimeSpan? duration = null)
    {
        CheckFrequency(firstFrequency, nameof(firstFrequency));
        ArgumentOutOfRangeException.ThrowIfNegative(firstPeak);
        ArgumentOutOfRangeException.ThrowIfNegative(secondPeak);
        if (secondPeak > 0)
        {
            CheckFrequency(secondFrequency, nameof(secondFrequency));
        }

        _firstOmega = 2 * Math.PI * firstFrequency / PcmResampler.OutputRate;
        _secondOmega = 2 * Math.PI * secondFrequency / PcmResampler.OutputRate;
        _firstPeak = firstPeak;
        _secondPeak = secondPeak;
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

    /// <inheritdoc />
    public bool Completed => _position >= _totalSamples;

    /// <summary>
    /// The peak amplitude of a sine at <paramref name="dbm0"/> (dB relative to the digital milliwatt,
    /// G.711's reference level), for choosing tone levels the way telephony specifies them.
    /// </summary>
    public static short PeakForLevel(double dbm0) =>
        (short)Math.Clamp(Math.Round(FullScalePeak * Math.Pow(10, (dbm0 - FullScaleDbm0) / 20)), 0, short.MaxValue);

    /// <summary>A beep: 1 kHz at −6 dBm0, half a second unless told otherwise.</summary>
    public static ToneAudioSource Beep(TimeSpan? duration = null) =>
        new(1000, PeakForLevel(-6), duration ?? TimeSpan.FromMilliseconds(500));

    /// <summary>
    /// The dual tone of a DTMF key (ITU-T Q.23: a low-group row tone and a high-group column tone),
    /// the high tone 2 dB above the low one as DTMF senders do (−7 and −5 dBm0).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="digit"/> is not one of 0-9, *, #, A-D.</exception>
    public static ToneAudioSource ForDtmfDigit(char digit, TimeSpan duration)
    {
        const string keys = "123A456B789C*0#D";
        int index = keys.IndexOf(char.ToUpperInvariant(digit));
        if (index < 0)
        {
            throw new ArgumentException($"'{digit}' is not a DTMF key (0-9, *, #, A-D).", nameof(digit));
        }

        ReadOnlySpan<double> rows = [697, 770, 852, 941];
        ReadOnlySpan<double> columns = [1209, 1336, 1477, 1633];
        return new ToneAudioSource(rows[index / 4], PeakForLevel(-7), columns[index % 4], PeakForLevel(-5), duration);
    }

    /// <inheritdoc />
    public int Read(Span<short> destination)
    {
        int count = (int)Math.Min(destination.Length, _totalSamples - _position);
        Span<short> output = destination[..count];
        output.Clear();
        AddTone(output, _firstOmega, _firstPeak);
        AddTone(output, _secondOmega, _secondPeak);
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

    private static void CheckFrequency(double frequency, string name)
    {
        if (!(frequency > 0 && frequency < PcmResampler.OutputRate / 2))
        {
            throw new ArgumentOutOfRangeException(name, frequency, "A tone must lie between 0 and 4000 Hz (the 8 kHz Nyquist limit).");
        }
    }

    private void AddTone(Span<short> output, double omega, double peak)
    {
        if (peak == 0 || output.IsEmpty)
        {
            return;
        }

        // Phase reduced modulo 2π keeps the seed exact however long the tone has played.
        double phase = omega * _position % (2 * Math.PI);
        double coefficient = 2 * Math.Cos(omega);
        double previous = peak * Math.Sin(phase - omega);
        double beforePrevious = peak * Math.Sin(phase - (2 * omega));
        for (int i = 0; i < output.Length; i++)
        {
            double value = (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = value;
            output[i] = LinearPcm.Saturate(output[i] + (int)Math.Round(value));
        }
    }
}
