using System.Buffers;
using System.Buffers.Text;
using Dialtone.Engine.Sip.Sdp;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// The default answer to a new offer in an established call (hold, resume, refresh): our last
/// session description with every media section's direction set to the offer's mirrored (RFC 3264
/// §8.4: a=sendonly is answered a=recvonly, a=inactive with a=inactive, and an offerer at 0.0.0.0
/// gets nothing sent), and the o= version increased by one (§8), since the description changed or
/// may have.
/// </summary>
public static class SipSdpHoldAnswer
{
    /// <summary>Writes the answer; false when either description cannot be read.</summary>
    public static bool TryWrite(ReadOnlySpan<byte> ourLastSdp, ReadOnlySpan<byte> offer, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (ourLastSdp.IsEmpty)
            return false;
        Span<SdpLine> offerLines = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        if (!SdpReader.Read(offer, offerLines, out SdpSession offered).Success)
            return false;
        SdpDirection wanted = SdpDirection.SendRecv;
        foreach (SdpMedia media in offered.Media)
        {
            if (!media.IsAudio || media.IsRejected)
                continue;
            wanted = media.Direction.Mirror();
            if (media.TryGetEffectiveConnection(out SdpConnection connection) && connection.IsUnspecified)
                wanted = wanted.WithoutSend();
            break;
        }

        Span<SdpLine> ourLines = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        if (!SdpReader.Read(ourLastSdp, ourLines, out SdpSession ours).Success)
            return false;
        var writer = new SdpWriter(output);
        bool inMedia = false;
        Span<byte> origin = stackalloc byte[512];
        foreach (SdpLineView line in ours.Lines)
        {
            if (line.Type == (byte)'m')
            {
                if (inMedia)
                    writer.WriteDirection(wanted);
                inMedia = true;
            }
            else if (line.Type == (byte)'a' && SdpDirectionExtensions.TryParse(line.Value, out _))
            {
                continue;
            }
            else if (line.Type == (byte)'o' && TryBumpVersion(line.Value, origin, out int length))
            {
                writer.WriteLine((byte)'o', origin.Slice(0, length));
                continue;
            }
            writer.CopyLine(line);
        }
        if (inMedia)
            writer.WriteDirection(wanted);
        return true;
    }

    // o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>: the third field + 1.
    private static bool TryBumpVersion(ReadOnlySpan<byte> value, Span<byte> destination, out int length)
    {
        length = 0;
        int first = value.IndexOf((byte)' ');
        if (first < 0)
            return false;
        int second = value.Slice(first + 1).IndexOf((byte)' ');
        if (second < 0)
            return false;
        second += first + 1;
        int third = value.Slice(second + 1).IndexOf((byte)' ');
        if (third < 0)
            return false;
        third += second + 1;
        if (!Utf8Parser.TryParse(value.Slice(second + 1, third - second - 1), out ulong version, out int consumed) || consumed != third - second - 1
            || value.Length + 21 > destination.Length)
            return false;
        value.Slice(0, second + 1).CopyTo(destination);
        int n = second + 1;
        Utf8Formatter.TryFormat(version + 1, destination.Slice(n), out int written);
        n += written;
        value.Slice(third).CopyTo(destination.Slice(n));
        length = n + value.Length - third;
        return true;
    }
}
