namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Plays a source a number of times, as TwiML's <c>loop</c> attribute asks: 1 plays once, n plays
/// n times, 0 plays "forever", which here means <see cref="ForeverLoops"/> times so that a call
/// left playing cannot hold its media slot without end.
/// </summary>
public sealed class LoopedAudioSource : IAudioSource
{
    /// <summary>The number of plays that <c>loop="0"</c> stands for: 1,000.</summary>
    public const int ForeverLoops = 1000;

    private readonly IRewindableAudioSource _inner;
    private readonly int _plays;
    private int _played;
    private bool _producedThisPlay;
    private bool _completed;

    /// <summary>Plays <paramref name="inner"/> <paramref name="loops"/> times (0 = <see cref="ForeverLoops"/>). Disposing this source disposes it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loops"/> is negative.</exception>
    public LoopedAudioSource(IRewindableAudioSource inner, int loops)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(loops);
        _inner = inner;
        _plays = loops == 0 ? ForeverLoops : loops;
    }

    /// <summary>The number of plays in all.</summary>
    public int Plays => _plays;

    /// <summary>The number of plays finished so far.</summary>
    public int PlaysCompleted => _played;

    /// <inheritdoc />
    public bool Completed => _completed;

    /// <inheritdoc />
    public int Read(Span<short> destination)
    {
        int written = 0;
        while (!_completed)
        {
            int read = _inner.Read(destination[written..]);
            written += read;
            _producedThisPlay |= read > 0;
            if (!_inner.Completed)
            {
                break; // the frame is full, or the inner source has nothing more yet (still downloading)
            }

            // A play ended. Count it now, even when its last sample filled the frame exactly, so
            // that Completed is right before the next read. An empty source ends at once instead
            // of spinning through all its plays.
            _played++;
            if (_played >= _plays || !_producedThisPlay || !_inner.Rewind())
            {
                _completed = true;
                break;
            }

            _producedThisPlay = false;
            if (written == destination.Length)
            {
                break;
            }
        }

        return written;
    }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();
}
