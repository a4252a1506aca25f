using System.Runtime.Intrinsics;

namespace Dialtone.Engine.Dtmf.InBand;

/// <summary>
/// Finds DTMF digits in 8 kHz linear PCM (in-band, for trunks that do not send RFC 4733 events):
/// Goertzel filters at the eight ITU-T Q.23 frequencies over blocks of 102 samples (12.75 ms).
/// </summary>
/// <remarks>
/// <para>A block holds a digit when, for its strongest row (low-group) and column (high-group)
/// tone: each is above the minimum level; the high tone is at most 4 dB above the low one and the
/// low at most 8 dB above the high (the usual Q.24 twist limits: line loss falls hardest on the
/// high group); each stands at least 8 dB above the other tones of its group; each is within
/// ±2.5% of its nominal frequency (Q.24 asks to accept ±1.5% and reject ±3.5%), checked by
/// comparing it with probes 5% either side; and the two together carry at least
/// <see cref="MinimumToneEnergyFraction"/> of the block's energy, which is what tells a real dual
/// tone from speech, music or noise that happens to have energy near two DTMF frequencies.
/// The last two checks run only for blocks that passed the others, over the stored block.</para>
/// <para>A digit is reported once, when two consecutive blocks agree on it (so a tone is
/// confirmed after 25.5 ms, and every tone of 40 ms or more, Q.24's minimum, is caught whatever
/// its alignment to the blocks); it is reported again only after two blocks without it, which a
/// 40 ms inter-digit pause always contains. Tones shorter than about 20 ms are not reported.</para>
/// <para>The 102-sample block gives 78 Hz bins: fine enough to separate the closest DTMF tones
/// (697 and 770 Hz leak about −22 dB into each other), short enough to follow 40 ms tones. No
/// window: a window would widen the main lobe across the neighbouring tone. <see cref="Process"/>
/// allocates nothing. Not thread-safe: one detector per audio stream.</para>
/// </remarks>
public sealed class DtmfToneDetector
{
    /// <summary>Samples per analysis block: 12.75 ms at 8 kHz.</summary>
    public const int BlockSize = 102;

    /// <summary>The default minimum level of each of the two tones: −30 dBm0.</summary>
    public const double DefaultMinimumLevelDbm0 = -30;

    /// <summary>
    /// The share of a block's energy the two tones must hold together: set between what the tests
    /// measure, voiced speech whose harmonics mimic a key peaking between 70% and 75%, and a key
    /// press 1.5% off frequency in 15 dB of noise staying above 85%.
    /// </summary>
    public const double MinimumToneEnergyFraction = 0.8;

    // Power ratios: 4 dB, 8 dB.
    private const float HighOverLowLimit = 2.512f;
    private const float LowOverHighLimit = 6.310f;
    private const float RelativePeakLimit = 6.310f;

    // Where the off-frequency probes sit, as a fraction of the nominal frequency: a tone is
    // accepted when it is nearer its nominal frequency than a probe, i.e. within ±2.5%, halfway
    // between the ±1.5% a receiver must accept and the ±3.5% it must reject (Q.24).
    private const double FrequencyProbe = 0.05;

    // Q.23: a sender keeps each tone within ±1.5% of nominal.
    private const double SenderTolerance = 0.015;

    private const string Keys = "123A456B789C*0#D";

    private static readonly double[] RowFrequencies = [697, 770, 852, 941];
    private static readonly double[] ColumnFrequencies = [1209, 1336, 1477, 1633];
    private static readonly Vector128<float> RowCoefficients = Coefficients(RowFrequencies[0], RowFrequencies[1], RowFrequencies[2], RowFrequencies[3]);
    private static readonly Vector128<float> ColumnCoefficients = Coefficients(ColumnFrequencies[0], ColumnFrequencies[1], ColumnFrequencies[2], ColumnFrequencies[3]);

    private readonly float _minimumTonePower;
    private readonly float[] _block = new float[BlockSize];
    private readonly float[] _lowProbes = new float[4];
    private readonly float[] _highProbes = new float[4];
    private Vector128<float> _rowPrevious;
    private Vector128<float> _rowBeforePrevious;
    private Vector128<float> _columnPrevious;
    private Vector128<float> _columnBeforePrevious;
    private float _energy;
    private int _blockFill;
    private char _lastBlockDigit;
    private char _current;

    /// <summary>Creates a detector that ignores tones weaker than <paramref name="minimumLevelDbm0"/> (each of the two).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not between −60 and 0 dBm0.</exception>
    public DtmfToneDetector(double minimumLevelDbm0 = DefaultMinimumLevelDbm0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minimumLevelDbm0, -60);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minimumLevelDbm0, 0);
        // G.711 §4: full scale (peak 8159 × 4 in 16-bit terms) is +3.17 dBm0. Samples are scaled to
        // ±1 below, and a sine of amplitude A gives a Goertzel power of (A·N/2)².
        double amplitude = 8159.0 * 4 / 32768 * Math.Pow(10, (minimumLevelDbm0 - 3.17) / 20);
        _minimumTonePower = (float)Math.Pow(amplitude * BlockSize / 2, 2);
    }

    /// <summary>The digit sounding now (reported already), or '\0'.</summary>
    public char CurrentDigit => _current;

    /// <summary>The most digits one <see cref="Process"/> call over <paramref name="samples"/> samples can report.</summary>
    public static int MaxDigitsFor(int samples) => (((samples + BlockSize - 1) / BlockSize) / 2) + 1;

    /// <summary>
    /// Analyses the next samples of the stream (any length; blocks continue across calls) and
    /// writes each digit that starts in them to <paramref name="digits"/>.
    /// </summary>
    /// <returns>The number of digits written.</returns>
    /// <exception cref="ArgumentException"><paramref name="digits"/> is shorter than <see cref="MaxDigitsFor"/>.</exception>
    public int Process(ReadOnlySpan<short> samples, Span<char> digits)
    {
        if (digits.Length < MaxDigitsFor(samples.Length))
        {
            throw new ArgumentException("The digit buffer must hold MaxDigitsFor(samples.Length) digits.", nameof(digits));
        }

        int found = 0;
        Vector128<float> rowPrevious = _rowPrevious, rowBeforePrevious = _rowBeforePrevious;
        Vector128<float> columnPrevious = _columnPrevious, columnBeforePrevious = _columnBeforePrevious;
        float energy = _energy;
        int fill = _blockFill;
        float[] block = _block;
        foreach (short sample in samples)
        {
            float x = sample * (1f / 32768f);
            block[fill] = x;
            var input = Vector128.Create(x);
            // Goertzel: s[n] = x[n] + 2cos(ω)·s[n−1] − s[n−2], four filters per vector.
            Vector128<float> row = input + (RowCoefficients * rowPrevious) - rowBeforePrevious;
            rowBeforePrevious = rowPrevious;
            rowPrevious = row;
            Vector128<float> column = input + (ColumnCoefficients * columnPrevious) - columnBeforePrevious;
            columnBeforePrevious = columnPrevious;
            columnPrevious = column;
            energy += x * x;

            if (++fill == BlockSize)
            {
                char digit = Classify(
                    Power(rowPrevious, rowBeforePrevious, RowCoefficients),
                    Power(columnPrevious, columnBeforePrevious, ColumnCoefficients),
                    energy);
                if (Confirm(digit))
                {
                    digits[found++] = digit;
                }

                rowPrevious = rowBeforePrevious = columnPrevious = columnBeforePrevious = Vector128<float>.Zero;
                energy = 0;
                fill = 0;
            }
        }

        _rowPrevious = rowPrevious;
        _rowBeforePrevious = rowBeforePrevious;
        _columnPrevious = columnPrevious;
        _columnBeforePrevious = columnBeforePrevious;
        _energy = energy;
        _blockFill = fill;
        return found;
    }

    /// <summary>Forgets the stream so far (a new call, or after a gap in the audio).</summary>
    public void Reset()
    {
        _rowPrevious = _rowBeforePrevious = _columnPrevious = _columnBeforePrevious = Vector128<float>.Zero;
        _energy = 0;
        _blockFill = 0;
        _lastBlockDigit = '\0';
        _current = '\0';
    }

    private static float Coefficient(double frequency) => (float)(2 * Math.Cos(2 * Math.PI * frequency / 8000));

    private static Vector128<float> Coefficients(double a, double b, double c, double d) =>
        Vector128.Create(Coefficient(a), Coefficient(b), Coefficient(c), Coefficient(d));

    // |X(ω)|² = s[N−1]² + s[N−2]² − 2cos(ω)·s[N−1]·s[N−2]
    private static Vector128<float> Power(Vector128<float> previous, Vector128<float> beforePrevious, Vector128<float> coefficients) =>
        (previous * previous) + (beforePrevious * beforePrevious) - (coefficients * previous * beforePrevious);

    private static int Strongest(Vector128<float> powers, out float strongest, out float runnerUp)
    {
        int best = 0;
        strongest = powers.GetElement(0);
        for (int i = 1; i < 4; i++)
        {
            if (powers.GetElement(i) > strongest)
            {
                strongest = powers.GetElement(i);
                best = i;
            }
        }

        runnerUp = 0;
        for (int i = 0; i < 4; i++)
        {
            if (i != best)
            {
                runnerUp = Math.Max(runnerUp, powers.GetElement(i));
            }
        }

        return best;
    }

    private char Classify(Vector128<float> rowPowers, Vector128<float> columnPowers, float energy)
    {
        int row = Strongest(rowPowers, out float low, out float otherLow);
        int column = Strongest(columnPowers, out float high, out float otherHigh);
        bool loudEnough = low >= _minimumTonePower && high >= _minimumTonePower;
        bool twistOk = high <= low * HighOverLowLimit && low <= high * LowOverHighLimit;
        bool peaksStandOut = otherLow * RelativePeakLimit <= low && otherHigh * RelativePeakLimit <= high;
        if (!(loudEnough && twistOk && peaksStandOut))
        {
            return '\0';
        }

        // Only blocks that pass the cheap tests get the finer look: four more filters per tone
        // over the stored block, at ±1.5% (the sender's tolerance) and ±5% (the probes).
        ReadOnlySpan<float> lowProbes = Probe(RowFrequencies[row], _lowProbes);
        ReadOnlySpan<float> highProbes = Probe(ColumnFrequencies[column], _highProbes);
        bool onFrequency = low >= lowProbes[2] && low >= lowProbes[3] && high >= highProbes[2] && high >= highProbes[3];

        // A tone up to 1.5% off loses up to 1.5 dB in a filter at its nominal frequency (the
        // block is short); its power is the best of the nominal and ±1.5% filters. A pure tone of
        // amplitude A over N samples has Goertzel power (A·N/2)² and energy N·A²/2, so
        // 2·power / (N·energy) is its share of the block's energy.
        float lowPower = MathF.Max(low, MathF.Max(lowProbes[0], lowProbes[1]));
        float highPower = MathF.Max(high, MathF.Max(highProbes[0], highProbes[1]));
        bool dominant = 2 * (lowPower + highPower) >= MinimumToneEnergyFraction * BlockSize * energy;
        return onFrequency && dominant ? Keys[(row * 4) + column] : '\0';
    }

    // Goertzel powers over the stored block at f·(1 − 1.5%), f·(1 + 1.5%), f·(1 − 5%), f·(1 + 5%).
    private ReadOnlySpan<float> Probe(double frequency, float[] powers)
    {
        Vector128<float> coefficients = Coefficients(
            frequency * (1 - SenderTolerance), frequency * (1 + SenderTolerance), frequency * (1 - FrequencyProbe), frequency * (1 + FrequencyProbe));
        Vector128<float> previous = Vector128<float>.Zero, beforePrevious = Vector128<float>.Zero;
        foreach (float x in _block)
        {
            Vector128<float> next = Vector128.Create(x) + (coefficients * previous) - beforePrevious;
            beforePrevious = previous;
            previous = next;
        }

        Power(previous, beforePrevious, coefficients).CopyTo(powers);
        return powers;
    }

    // Two blocks in a row agree: a digit starts (reported) or stops (after two blocks without it).
    private bool Confirm(char digit)
    {
        bool report = false;
        if (digit == _lastBlockDigit)
        {
            if (digit != '\0' && digit != _current)
            {
                report = true;
            }

            _current = digit;
        }

        _lastBlockDigit = digit;
        return report;
    }
}
