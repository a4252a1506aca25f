using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Allocations;

/// <summary>A sink that only counts and sums, so it adds no allocation of its own.</summary>
internal sealed class CountingSink : IAudioSink
{
    private long _frames;
    private long _energy;

    public long Frames => Interlocked.Read(ref _frames);

    public long Energy => Interlocked.Read(ref _energy);

    public void Write(ReadOnlySpan<short> samples, AudioDirection direction)
    {
        long energy = 0;
        foreach (short s in samples)
        {
            energy += Math.Abs(s);
        }

        Interlocked.Increment(ref _frames);
        Interlocked.Add(ref _energy, energy);
    }
}
