using Dialtone.Engine.Dtmf.InBand;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Dtmf.Tests.InBand;

public class InBandDtmfSinkTests
{
    [Fact]
    public void Reports_keys_played_by_the_tone_source_in_order()
    {
        var heard = new List<char>();
        var sink = new InBandDtmfSink(heard.Add);
        var frame = new short[160];

        foreach (char key in "0123456789*#ABCD")
        {
            using var tone = ToneAudioSource.ForDtmfDigit(key, TimeSpan.FromMilliseconds(100));
            using var gap = new SilenceAudioSource(TimeSpan.FromMilliseconds(100));
            foreach (IAudioSource source in new IAudioSource[] { tone, gap })
            {
                while (!source.Completed)
                {
                    int read = source.Read(frame);
                    sink.Write(frame.AsSpan(0, read), AudioDirection.Received);
                }
            }
        }

        Assert.Equal("0123456789*#ABCD", new string(heard.ToArray()));
    }

    [Fact]
    public void Listens_to_one_direction_only()
    {
        var heard = new List<char>();
        var sink = new InBandDtmfSink(heard.Add, AudioDirection.Received);
        short[] keys = DtmfSignal.Keys("42", toneMs: 60, gapMs: 60);

        sink.Write(keys, AudioDirection.Sent);
        Assert.Empty(heard);
        sink.Write(keys, AudioDirection.Received);
        Assert.Equal("42", new string(heard.ToArray()));
    }

    [Fact]
    public void Handles_long_writes_in_one_call()
    {
        var heard = new List<char>();
        var sink = new InBandDtmfSink(heard.Add);

        sink.Write(DtmfSignal.Keys("123A456B789C*0#D123A456B789C*0#D", toneMs: 40, gapMs: 40), AudioDirection.Received);

        Assert.Equal("123A456B789C*0#D123A456B789C*0#D", new string(heard.ToArray()));
    }

    [Fact]
    public void Write_allocates_nothing()
    {
        int count = 0;
        var sink = new InBandDtmfSink(_ => count++);
        short[] audio = DtmfSignal.Keys("9", toneMs: 60, gapMs: 60);
        sink.Write(audio, AudioDirection.Received);

        // The least of five rounds: a round can catch a one-off allocation of the runtime itself (a
        // method recompiled at a higher tier on this thread); the sink's own would show in every round.
        long least = long.MaxValue;
        int rounds = 0;
        for (; rounds < 5 && least > 0; rounds++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                sink.Write(audio, AudioDirection.Received);
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, least);
        Assert.Equal(1 + (100 * rounds), count);
    }
}
