using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class G711TranscodingTests
{
    [Fact]
    public void MuLaw_to_ALaw_lands_within_half_an_ALaw_step_of_the_original_value()
    {
        for (int code = 0; code < 256; code++)
        {
            short original = MuLaw.Decode((byte)code);
            byte transcoded = G711.MuLawToALaw((byte)code);
            short result = ALaw.Decode(transcoded);
            if (Math.Abs(original) > ALaw.MaxDecodedMagnitude)
            {
                continue;
            }

            Assert.True(Math.Abs(original - result) <= G711Reference.ALawHalfStep(transcoded), $"µ 0x{code:X2} ({original}) -> A 0x{transcoded:X2} ({result})");
        }
    }

    [Fact]
    public void ALaw_to_MuLaw_lands_within_half_a_MuLaw_step_of_the_original_value()
    {
        for (int code = 0; code < 256; code++)
        {
            short original = ALaw.Decode((byte)code);
            byte transcoded = G711.ALawToMuLaw((byte)code);
            short result = MuLaw.Decode(transcoded);
            if (Math.Abs(original) > MuLaw.MaxDecodedMagnitude)
            {
                Assert.Equal(Math.Sign(original) * MuLaw.MaxDecodedMagnitude, result);
                continue;
            }

            Assert.True(Math.Abs(original - result) <= G711Reference.MuLawHalfStep(transcoded), $"A 0x{code:X2} ({original}) -> µ 0x{transcoded:X2} ({result})");
        }
    }

    [Fact]
    public void Transcoding_keeps_the_sign_and_is_symmetric()
    {
        for (int code = 0; code < 128; code++)
        {
            byte positive = (byte)(code | 0x80);
            Assert.Equal(G711.MuLawToALaw(positive) & 0x7F, G711.MuLawToALaw((byte)code) & 0x7F);
            Assert.Equal(0x80, G711.MuLawToALaw(positive) & 0x80);
            Assert.Equal(0, G711.MuLawToALaw((byte)code) & 0x80);
            Assert.Equal(G711.ALawToMuLaw(positive) & 0x7F, G711.ALawToMuLaw((byte)code) & 0x7F);
        }
    }

    [Fact]
    public void A_round_trip_returns_most_codes_unchanged()
    {
        int muStable = Enumerable.Range(0, 256).Count(c => G711.ALawToMuLaw(G711.MuLawToALaw((byte)c)) == c);
        int aStable = Enumerable.Range(0, 256).Count(c => G711.MuLawToALaw(G711.ALawToMuLaw((byte)c)) == c);

        Assert.True(muStable >= 240, $"{muStable} µ-law codes survive µ→A→µ");
        Assert.True(aStable >= 240, $"{aStable} A-law codes survive A→µ→A");
    }

    [Fact]
    public void Silence_transcodes_to_silence()
    {
        Assert.Equal(ALaw.Silence, G711.MuLawToALaw(MuLaw.Silence));
        Assert.Equal(MuLaw.Encode(8), G711.ALawToMuLaw(ALaw.Silence));
    }

    [Fact]
    public void Frame_transcoding_matches_per_code_and_allocates_nothing()
    {
        byte[] muFrame = Enumerable.Range(0, 160).Select(i => (byte)(i * 37)).ToArray();
        var aFrame = new byte[160];
        var back = new byte[160];

        G711.TranscodeMuLawToALaw(muFrame, aFrame);
        G711.TranscodeALawToMuLaw(aFrame, back);
        for (int i = 0; i < 160; i++)
        {
            Assert.Equal(G711.MuLawToALaw(muFrame[i]), aFrame[i]);
            Assert.Equal(G711.ALawToMuLaw(aFrame[i]), back[i]);
        }

        long allocated = Allocations.Measure(() =>
        {
            G711.TranscodeMuLawToALaw(muFrame, aFrame);
            G711.TranscodeALawToMuLaw(aFrame, back);
        });
        Assert.Equal(0, allocated);
        Assert.Throws<ArgumentException>(() => G711.TranscodeMuLawToALaw(muFrame, new byte[10]));
        Assert.Throws<ArgumentException>(() => G711.TranscodeALawToMuLaw(muFrame, new byte[10]));
    }
}
