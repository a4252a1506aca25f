using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Streams;

/// <summary>Routes a frame to the G.711 law of a payload type; one octet per sample either way.</summary>
internal static class G711Payload
{
    public static byte Silence(AudioPayloadType payloadType) =>
        payloadType == AudioPayloadType.Pcma ? ALaw.Silence : MuLaw.Silence;

    public static void Encode(AudioPayloadType payloadType, ReadOnlySpan<short> samples, Span<byte> payload)
    {
        if (payloadType == AudioPayloadType.Pcma)
        {
            ALaw.Encode(samples, payload);
        }
        else
        {
            MuLaw.Encode(samples, payload);
        }
    }

    public static void Decode(AudioPayloadType payloadType, ReadOnlySpan<byte> payload, Span<short> samples)
    {
        if (payloadType == AudioPayloadType.Pcma)
        {
            ALaw.Decode(payload, samples);
        }
        else
        {
            MuLaw.Decode(payload, samples);
        }
    }

    /// <summary>Copies a payload from one law to another, transcoding octet by octet when they differ.</summary>
    public static void Convert(AudioPayloadType from, ReadOnlySpan<byte> source, AudioPayloadType to, Span<byte> destination)
    {
        if (from == to)
        {
            source.CopyTo(destination);
        }
        else if (from == AudioPayloadType.Pcmu)
        {
            G711.TranscodeMuLawToALaw(source, destination);
        }
        else
        {
            G711.TranscodeALawToMuLaw(source, destination);
        }
    }
}
