using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class G711CodecTests
{
    private static readonly (short MuLaw, short ALaw)[] StandardDecodeValues = LoadDecodeValues();

    [Fact]
    public void MuLaw_encodes_all_65536_inputs_as_the_reference_quantizer_does()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            byte expected = G711Reference.EncodeMuLaw((short)x);
            Assert.True(expected == MuLaw.Encode((short)x), $"µ-law of {x}: expected 0x{expected:X2}, got 0x{MuLaw.Encode((short)x):X2}");
        }
    }

    [Fact]
    public void ALaw_encodes_all_65536_inputs_as_the_reference_quantizer_does()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            byte expected = G711Reference.EncodeALaw((short)x);
            Assert.True(expected == ALaw.Encode((short)x), $"A-law of {x}: expected 0x{expected:X2}, got 0x{ALaw.Encode((short)x):X2}");
        }
    }

    [Fact]
    public void Decode_tables_match_the_standard_values_for_all_256_codes()
    {
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal(StandardDecodeValues[code].MuLaw, MuLaw.Decode((byte)code));
            Assert.Equal(StandardDecodeValues[code].ALaw, ALaw.Decode((byte)code));
        }
    }

    [Fact]
    public void MuLaw_round_trip_stays_within_half_a_quantization_step()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            byte code = MuLaw.Encode((short)x);
            int decoded = MuLaw.Decode(code);
            if (Math.Abs(x) > MuLaw.MaxDecodedMagnitude + G711Reference.MuLawHalfStep(code))
            {
                Assert.Equal(Math.Sign(x) * MuLaw.MaxDecodedMagnitude, decoded); // overload clips to the top level
                continue;
            }

            // Half a step, plus the bits below µ-law's 14 (up to 3) and the one's complement of
            // negative values (one 14-bit unit).
            Assert.True(Math.Abs(x - decoded) <= G711Reference.MuLawHalfStep(code) + 4, $"{x} -> 0x{code:X2} -> {decoded}");
        }
    }

    [Fact]
    public void ALaw_round_trip_stays_within_half_a_quantization_step()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            byte code = ALaw.Encode((short)x);
            int decoded = ALaw.Decode(code);
            if (Math.Abs(x) > ALaw.MaxDecodedMagnitude + G711Reference.ALawHalfStep(code))
            {
                Assert.Equal(Math.Sign(x) * ALaw.MaxDecodedMagnitude, decoded);
                continue;
            }

            // Half a step, plus the 4 bits below A-law's 12 and the one's complement of negatives.
            Assert.True(Math.Abs(x - decoded) <= G711Reference.ALawHalfStep(code) + 16, $"{x} -> 0x{code:X2} -> {decoded}");
        }
    }

    [Fact]
    public void Decoding_an_encoded_value_gives_it_back_exactly()
    {
        for (int code = 0; code < 256; code++)
        {
            short muLaw = MuLaw.Decode((byte)code);
            Assert.Equal(muLaw, MuLaw.Decode(MuLaw.Encode(muLaw)));
            short aLaw = ALaw.Decode((byte)code);
            Assert.Equal(aLaw, ALaw.Decode(ALaw.Encode(aLaw)));
        }
    }

    [Fact]
    public void Silence_codes_decode_to_the_smallest_levels()
    {
        Assert.Equal(0, MuLaw.Decode(MuLaw.Silence));
        Assert.Equal(MuLaw.Silence, MuLaw.Encode(0));
        Assert.Equal(8, ALaw.Decode(ALaw.Silence));
        Assert.Equal(ALaw.Silence, ALaw.Encode(0));
    }

    [Fact]
    public void Frame_calls_match_sample_calls()
    {
        short[] samples = Enumerable.Range(0, 4096).Select(i => (short)((i * 7919) - 16000)).ToArray();
        var muCodes = new byte[samples.Length];
        var aCodes = new byte[samples.Length];
        var muDecoded = new short[samples.Length];
        var aDecoded = new short[samples.Length];

        MuLaw.Encode(samples, muCodes);
        ALaw.Encode(samples, aCodes);
        MuLaw.Decode(muCodes, muDecoded);
        ALaw.Decode(aCodes, aDecoded);

        for (int i = 0; i < samples.Length; i++)
        {
            Assert.Equal(MuLaw.Encode(samples[i]), muCodes[i]);
            Assert.Equal(ALaw.Encode(samples[i]), aCodes[i]);
            Assert.Equal(MuLaw.Decode(muCodes[i]), muDecoded[i]);
            Assert.Equal(ALaw.Decode(aCodes[i]), aDecoded[i]);
        }
    }

    [Fact]
    public void Frame_calls_reject_short_destinations()
    {
        Assert.Throws<ArgumentException>(() => MuLaw.Encode(new short[160], new byte[159]));
        Assert.Throws<ArgumentException>(() => MuLaw.Decode(new byte[160], new short[159]));
        Assert.Throws<ArgumentException>(() => ALaw.Encode(new short[160], new byte[159]));
        Assert.Throws<ArgumentException>(() => ALaw.Decode(new byte[160], new short[159]));
    }

    [Fact]
    public void Encoding_and_decoding_a_160_sample_frame_allocates_nothing()
    {
        short[] frame = Signal.Sine(1000, 8000, 160, 12000);
        var codes = new byte[160];
        var decoded = new short[160];

        long allocated = Allocations.Measure(() =>
        {
            MuLaw.Encode(frame, codes);
            MuLaw.Decode(codes, decoded);
            ALaw.Encode(frame, codes);
            ALaw.Decode(codes, decoded);
        });

        Assert.Equal(0, allocated);
    }

    private static (short, short)[] LoadDecodeValues()
    {
        var values = new (short, short)[256];
        int seen = 0;
        foreach (string line in File.ReadLines(TestVectors.PathOf("g711-decode.txt")))
        {
            if (line.StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int code = Convert.ToInt32(fields[0], 16);
            values[code] = (short.Parse(fields[1]), short.Parse(fields[2]));
            seen++;
        }

        Assert.Equal(256, seen);
        return values;
    }
}
