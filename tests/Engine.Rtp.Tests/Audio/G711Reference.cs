namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>
/// G.711 written the slow, literal way, to check the table-driven codec against: the encoder
/// searches the quantizer's decision values (G.711 Tables 1 and 2) rather than computing the
/// segment with bit tricks. Inputs are 16-bit; µ-law works on the top 14 bits and A-law on the top
/// 12 (the 13-bit value's last bit never changes the code), negative values by their one's
/// complement, as in the ITU's reference software (G.191).
/// </summary>
internal static class G711Reference
{
    // Lower decision value of each of the 128 magnitude intervals.
    private static readonly int[] MuLawDecision = BuildMuLawDecisions();
    private static readonly int[] ALawDecision = BuildALawDecisions();

    public static byte EncodeMuLaw(short sample)
    {
        int fourteenBit = sample >> 2;
        bool positive = fourteenBit >= 0;
        int magnitude = positive ? fourteenBit : -fourteenBit - 1;
        int interval = LastAtOrBelow(MuLawDecision, magnitude);
        return (byte)(((positive ? 0x80 : 0x00) | interval) ^ 0x7F);
    }

    public static byte EncodeALaw(short sample)
    {
        int twelveBit = sample >> 4;
        bool positive = twelveBit >= 0;
        int magnitude = positive ? twelveBit : -twelveBit - 1;
        int interval = LastAtOrBelow(ALawDecision, magnitude);
        return (byte)(((positive ? 0x80 : 0x00) | interval) ^ 0x55);
    }

    /// <summary>Half the width of the quantization interval a µ-law code stands for, in 16-bit units.</summary>
    public static int MuLawHalfStep(byte code) => 4 << ((~code >> 4) & 0x07);

    /// <summary>Half the width of the quantization interval an A-law code stands for, in 16-bit units.</summary>
    public static int ALawHalfStep(byte code)
    {
        int segment = ((code ^ 0x55) >> 4) & 0x07;
        return 8 << Math.Max(0, segment - 1);
    }

    private static int LastAtOrBelow(int[] decisions, int magnitude)
    {
        int interval = 0;
        for (int i = 0; i < decisions.Length; i++)
        {
            if (decisions[i] <= magnitude)
            {
                interval = i;
            }
        }

        return interval;
    }

    private static int[] BuildMuLawDecisions()
    {
        // 8 segments of 16 steps; segment s starts at 2^(s+5) - 33 (in 14-bit units) and its
        // steps are 2^(s+1) wide: 0, 1, 3, 5, ... 31, 35, ... 8159.
        var decisions = new int[128];
        for (int segment = 0; segment < 8; segment++)
        {
            for (int step = 0; step < 16; step++)
            {
                decisions[(segment * 16) + step] = (1 << (segment + 5)) - 33 + (step << (segment + 1));
            }
        }

        decisions[0] = 0;
        return decisions;
    }

    private static int[] BuildALawDecisions()
    {
        // Segments 0 and 1 share a step of 1 (in these 12-bit units); segment s >= 2 starts at
        // 2^(s+3) with steps 2^(s-1) wide.
        var decisions = new int[128];
        for (int segment = 0; segment < 8; segment++)
        {
            for (int step = 0; step < 16; step++)
            {
                decisions[(segment * 16) + step] = segment < 2
                    ? (segment * 16) + step
                    : (1 << (segment + 3)) + (step << (segment - 1));
            }
        }

        return decisions;
    }
}
