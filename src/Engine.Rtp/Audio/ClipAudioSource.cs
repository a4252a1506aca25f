namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// One playback of an <see cref="AudioClip"/>: the clip's samples are shared, only the position
/// belongs to this source. Reads copy and never allocate.
/// </summary>
public sealed class ClipAudioSource : IRewindableAudioSource
{
    private readonly AudioClip _clip;
    private int _position;

    /// <summary>Starts a playback of <paramref name="clip"/> at its first sample.</summary>
    public ClipAudioSource(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        _clip = clip;
    }

    /// <inheritdoc />
    public bool Completed => _position >= _clip.SampleCount;

    /// <summary>The number of samples played so far.</summary>
    public int Position => _position;

    /// <inheritdoc />
    public int Read(Span<short> destination)
    {
        ReadOnlySpan<short> remaining = _clip.Samples.Span[_position..];
        int count = Math.Min(remaining.Length, destination.Length);
        remaining[..count].CopyTo(destination);
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
        // Nothing to release: the clip is shared and owned by whoever cached it.
    }
}
