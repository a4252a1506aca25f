using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// Where responses go and what their top Via says, for a server transaction or a stateless answer:
/// RFC 3261 §18.2.1 (received), §18.2.2 (back on the connection, or to the source address) and
/// RFC 3581 §4 (rport: back to the source port, so that answers cross a NAT).
/// </summary>
internal static class SipResponseRouting
{
    private const int DefaultPort = 5060;

    /// <summary>
    /// The destination of responses to a request that came from <paramref name="remote"/> with top
    /// Via <paramref name="via"/>, stored in <paramref name="slot"/>. A UDP response goes to the
    /// source IP (the "received" address) and to the source port when the Via asks for rport,
    /// otherwise to the sent-by port; a TCP response goes on the connection, or to the sent-by port
    /// of the source IP should the connection be gone.
    /// </summary>
    public static SipDestination Compute(in SipRemote remote, scoped in SipVia via, SipSocketAddressSlot slot)
    {
        int port;
        if (remote.Protocol == SipTransportProtocol.Udp && via.HasRPort)
            port = SipSocketAddressSlot.GetPort(remote.Address);
        else
            port = via.Port > 0 ? via.Port : DefaultPort;
        return new SipDestination(remote.Protocol, slot.Store(remote.Address, port), remote.Connection);
    }

    /// <summary>
    /// Writes the status line and the headers a response copies from its request (§8.2.6.2): every
    /// Via (the top one with received and rport filled in), From, To (with <paramref name="toTag"/>
    /// added when the request's To has none and the response is not a 100), Call-ID, CSeq, and the
    /// Record-Route lines when <paramref name="copyRecordRoute"/> (dialog-creating responses, §12.1.1).
    /// </summary>
    /// <param name="writer">Where the response goes.</param>
    /// <param name="request">The request answered.</param>
    /// <param name="statusCode">The status.</param>
    /// <param name="reasonPhrase">The reason phrase, or empty for the default one.</param>
    /// <param name="toTag">Our tag, added to To when missing (not in a 100).</param>
    /// <param name="copyRecordRoute">Copy Record-Route (dialog-creating responses).</param>
    /// <param name="sourceHost">An address with the request's source IP (its port does not matter).</param>
    /// <param name="sourcePort">The request's source port, for rport.</param>
    public static void WriteHead(ref SipMessageWriter writer, SipMessage request, int statusCode, scoped ReadOnlySpan<byte> reasonPhrase,
        scoped ReadOnlySpan<byte> toTag, bool copyRecordRoute, System.Net.SocketAddress sourceHost, int sourcePort)
    {
        writer.WriteStatusLine(statusCode, reasonPhrase.IsEmpty ? SipReasonPhrases.Get(statusCode) : reasonPhrase);
        bool top = true;
        foreach (ReadOnlySpan<byte> via in request.GetValues(SipHeaderId.Via))
        {
            if (top)
            {
                WriteTopVia(ref writer, via, sourceHost, sourcePort);
                top = false;
            }
            else
            {
                writer.WriteHeader(SipHeaderId.Via, via);
            }
        }
        writer.CopyFirstHeader(request, SipHeaderId.From);
        if (request.TryGetHeader(SipHeaderId.To, out SipHeader to))
        {
            ReadOnlySpan<byte> value = request.GetValue(to);
            writer.WriteRaw("To: "u8);
            writer.WriteRaw(value);
            // §8.2.6.1: a 100 Trying carries no tag; §8.2.6.2: other responses add ours when missing.
            if (!toTag.IsEmpty && statusCode != 100 && (!request.TryGetTo(out var address) || !address.HasTag))
            {
                writer.WriteRaw(";tag="u8);
                writer.WriteRaw(toTag);
            }
            writer.WriteRaw("\r\n"u8);
        }
        writer.CopyFirstHeader(request, SipHeaderId.CallId);
        writer.CopyFirstHeader(request, SipHeaderId.CSeq);
        if (copyRecordRoute)
            writer.CopyHeaders(request, SipHeaderId.RecordRoute);
    }

    private static void WriteTopVia(ref SipMessageWriter writer, ReadOnlySpan<byte> value, System.Net.SocketAddress source, int sourcePort)
    {
        if (!SipVia.TryParse(value, out SipVia via))
        {
            writer.WriteHeader(SipHeaderId.Via, value);
            return;
        }
        ReadOnlySpan<byte> parameters = via.Parameters.Raw;
        int prefixLength = value.Length;
        if (!parameters.IsEmpty)
            prefixLength = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(value), ref MemoryMarshal.GetReference(parameters));
        writer.WriteRaw("Via: "u8);
        writer.WriteRaw(SipSyntax.Trim(value.Slice(0, prefixLength)));
        foreach (var parameter in via.Parameters)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(parameter.Name, "received"u8) || System.Text.Ascii.EqualsIgnoreCase(parameter.Name, "rport"u8))
                continue;
            writer.WriteRaw(";"u8);
            writer.WriteRaw(parameter.Name);
            if (parameter.HasValue)
            {
                writer.WriteRaw("="u8);
                writer.WriteRaw(parameter.Value);
            }
        }
        // §18.2.1: received when the sent-by host is not the source address; RFC 3581 §4: always
        // with rport, whose value is the source port.
        if (via.HasRPort || !SipSocketAddressSlot.HostEquals(source, via.Host))
        {
            Span<byte> ip = stackalloc byte[64];
            int n = SipSocketAddressSlot.FormatAddress(source, ip);
            writer.WriteRaw(";received="u8);
            writer.WriteRaw(ip.Slice(0, n));
        }
        if (via.HasRPort)
        {
            Span<byte> port = stackalloc byte[8];
            System.Buffers.Text.Utf8Formatter.TryFormat(sourcePort, port, out int n);
            writer.WriteRaw(";rport="u8);
            writer.WriteRaw(port.Slice(0, n));
        }
        writer.WriteRaw("\r\n"u8);
    }
}
