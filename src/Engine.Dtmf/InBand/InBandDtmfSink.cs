using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Dtmf.InBand;

/// <summary>
/// Listens to one direction of a call's decoded audio for DTMF tones and reports each digit
/// once, so a call on a trunk without RFC 4733 still collects digits for Gather.
/// </summary>
/// <remarks><see cref="Write"/> runs on the media thread and allocates nothing; the callback runs there too and must be quick.</remarks>
public sealed class InBandDtmfSink : IAudioSink
{
    private const int Slice = 1024;

    private readonly Action<char> _onDigit;
    private readonly AudioDirection _direction;
    private readonly DtmfToneDetector _detector;

    /// <summary>Reports digits heard in <paramref name="direction"/> (what the remote party sends, by default) to <paramref name="onDigit"/>.</summary>
    public InBandDtmfSink(Action<char> onDigit, AudioDirection direction = AudioDirection.Received, DtmfToneDetector? detector = null)
    {
        ArgumentNullException.ThrowIfNull(onDigit);
        _onDigit = onDigit;
        _direction = direction;
        _detector = detector ?? new DtmfToneDetector();
    }

    /// <summary>The detector doing the work (for its level setting and state).</summary>
    public DtmfToneDetector Detector => _detector;

    /// <inheritdoc />
    public void Write(ReadOnlySpan<short> samples, AudioDirection direction)
    {
        if (direction != _direction)
        {
            return;
        }

        Span<char> digits = stackalloc char[DtmfToneDetector.MaxDigitsFor(Slice)];
        while (!samples.IsEmpty)
        {
            ReadOnlySpan<short> slice = samples[..Math.Min(Slice, samples.Length)];
            int found = _detector.Process(slice, digits);
            for (int i = 0; i < found; i++)
            {
                _onDigit(digits[i]);
            }

            samples = samples[slice.Length..];
        }
    }
}
