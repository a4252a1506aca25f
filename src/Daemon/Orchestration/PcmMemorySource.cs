using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Plays 8 kHz PCM that lives in shared memory (a cached speech render) without copying it: each
/// call gets its own position over the same samples.
/// </summary>
public sealed class PcmMemorySource(ReadOnlyMemory<short> samples) : IRewindableAudioSource
{
    private int _position;

    public bool Completed => _position >= samples.Length;

    public int Read(Span<short> destination)
    {
        int count = Math.Min(destination.Length, samples.Length - _position);
        if (count <= 0)
            return 0;
        samples.Span.Slice(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }

    public bool Rewind()
    {
        _position = 0;
        return true;
    }

    public void Dispose()
    {
    }
}
