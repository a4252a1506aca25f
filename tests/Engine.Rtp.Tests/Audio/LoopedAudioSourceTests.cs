using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class LoopedAudioSourceTests
{
    private static readonly AudioClip Ramp = AudioClip.FromSamples(Enumerable.Range(1, 250).Select(i => (short)i).ToArray());

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Plays_the_source_the_given_number_of_times_seamlessly(int loops)
    {
        using var looped = new LoopedAudioSource(new ClipAudioSource(Ramp), loops);

        short[] played = SilenceAndToneSourceTests.ReadAll(looped, 160);

        Assert.Equal(250 * loops, played.Length);
        for (int i = 0; i < played.Length; i++)
        {
            Assert.Equal((i % 250) + 1, played[i]);
        }

        Assert.Equal(loops, looped.PlaysCompleted);
    }

    [Fact]
    public void Loop_zero_means_forever_bounded_at_1000_plays()
    {
        using var looped = new LoopedAudioSource(new ClipAudioSource(AudioClip.FromSamples([5, 6])), 0);

        short[] played = SilenceAndToneSourceTests.ReadAll(looped, 160);

        Assert.Equal(LoopedAudioSource.ForeverLoops, looped.Plays);
        Assert.Equal(2 * LoopedAudioSource.ForeverLoops, played.Length);
        Assert.True(looped.Completed);
    }

    [Fact]
    public void Completes_on_the_read_that_plays_the_last_sample_even_at_a_frame_boundary()
    {
        using var looped = new LoopedAudioSource(new ClipAudioSource(AudioClip.FromSamples(new short[160])), 2);
        var frame = new short[160];

        Assert.Equal(160, looped.Read(frame));
        Assert.False(looped.Completed);
        Assert.Equal(160, looped.Read(frame));
        Assert.True(looped.Completed);
        Assert.Equal(0, looped.Read(frame));
    }

    [Fact]
    public void An_empty_source_completes_at_once_instead_of_spinning()
    {
        using var looped = new LoopedAudioSource(new ClipAudioSource(AudioClip.Empty), 0);
        var frame = new short[160];

        Assert.Equal(0, looped.Read(frame));
        Assert.True(looped.Completed);
    }

    [Fact]
    public void Stops_when_the_source_cannot_rewind()
    {
        using var looped = new LoopedAudioSource(new OneShot(300), 3);

        Assert.Equal(300, SilenceAndToneSourceTests.ReadAll(looped, 160).Length);
        Assert.True(looped.Completed);
    }

    [Fact]
    public void Rejects_negative_loops_and_disposes_the_inner_source()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopedAudioSource(new OneShot(1), -1));
        var inner = new OneShot(1);
        new LoopedAudioSource(inner, 2).Dispose();
        Assert.True(inner.Disposed);
    }

    private sealed class OneShot(int length) : IRewindableAudioSource
    {
        private int _left = length;

        public bool Completed => _left == 0;

        public bool Disposed { get; private set; }

        public int Read(Span<short> destination)
        {
            int count = Math.Min(_left, destination.Length);
            destination[..count].Fill(1);
            _left -= count;
            return count;
        }

        public bool Rewind() => false;

        public void Dispose() => Disposed = true;
    }
}
