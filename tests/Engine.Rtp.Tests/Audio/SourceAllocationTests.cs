using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class SourceAllocationTests
{
    public static TheoryData<string> Sources => new() { "silence", "tone", "dual tone", "clip", "looped clip", "looped tone" };

    [Theory]
    [MemberData(nameof(Sources))]
    public void Read_allocates_nothing_once_warm(string kind)
    {
        AudioClip clip = AudioClip.FromSamples(Signal.Sine(440, 8000, 8000, 9000));
        using IAudioSource source = kind switch
        {
            "silence" => new SilenceAudioSource(),
            "tone" => new ToneAudioSource(1000, 8000),
            "dual tone" => new ToneAudioSource(941, 7000, 1336, 8000),
            "clip" => clip.CreateSource(),
            "looped clip" => clip.CreateSource(loops: 0),
            _ => new LoopedAudioSource(new ToneAudioSource(1000, 8000, TimeSpan.FromMilliseconds(30)), 0),
        };
        var frame = new short[160];

        // 1,100 reads of 20 ms: the clip runs out (and the loops wrap) during the measurement.
        long allocated = Allocations.Measure(() => source.Read(frame));

        Assert.Equal(0, allocated);
    }
}
