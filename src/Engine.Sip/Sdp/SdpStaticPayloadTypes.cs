namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// The static RTP payload types of RFC 3551 §6 (Tables 4 and 5). A description may list them in m=
/// without an rtpmap line, so a reader has to know them to name the codec.
/// </summary>
public static class SdpStaticPayloadTypes
{
    /// <summary>The static assignment for <paramref name="payloadType"/>; false for unassigned and dynamic numbers.</summary>
    public static bool TryGet(int payloadType, out SdpRtpMap map)
    {
        int clockRate = ClockRate(payloadType);
        if (clockRate == 0)
        {
            map = default;
            return false;
        }

        // Only L16 stereo (type 10) has more than one channel in RFC 3551 Table 4.
        int channels = payloadType == 10 ? 2 : 1;
        map = new SdpRtpMap(payloadType, EncodingName(payloadType), clockRate, channels, isStatic: true);
        return true;
    }

    private static int ClockRate(int payloadType) => payloadType switch
    {
        0 or 3 or 4 or 5 or 7 or 8 or 9 or 12 or 13 or 15 or 18 => 8000,
        6 => 16000,
        10 or 11 => 44100,
        16 => 11025,
        17 => 22050,
        14 or 25 or 26 or 28 or 31 or 32 or 33 or 34 => 90000,
        _ => 0,
    };

    private static ReadOnlySpan<byte> EncodingName(int payloadType) => payloadType switch
    {
        0 => "PCMU"u8,
        3 => "GSM"u8,
        4 => "G723"u8,
        5 or 6 or 16 or 17 => "DVI4"u8,
        7 => "LPC"u8,
        8 => "PCMA"u8,
        9 => "G722"u8,
        10 or 11 => "L16"u8,
        12 => "QCELP"u8,
        13 => "CN"u8,
        14 => "MPA"u8,
        15 => "G728"u8,
        18 => "G729"u8,
        25 => "CelB"u8,
        26 => "JPEG"u8,
        28 => "nv"u8,
        31 => "H261"u8,
        32 => "MPV"u8,
        33 => "MP2T"u8,
        _ => "H263"u8,
    };
}
