using System.Buffers.Text;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// The bytes a server transaction is matched by (RFC 3261 §17.2.3): the top Via's branch and
/// sent-by plus the method, with ACK counted as INVITE. A request without the magic cookie comes
/// from an RFC 2543 peer: its key is made of Call-ID, CSeq number, From tag and the whole top Via
/// (§17.2.3's fallback, without the To tag so that the ACK for a non-2xx still matches its INVITE).
/// </summary>
internal static class SipServerTransactionKey
{
    /// <summary>The longest key; a request whose key would be longer is not matched (and not answered).</summary>
    public const int MaxLength = 1024;

    /// <summary>The method class of <paramref name="request"/>: INVITE for INVITE and ACK, its own name otherwise.</summary>
    public static ReadOnlySpan<byte> MethodClass(SipMessage request) =>
        request.Method is SipMethod.Invite or SipMethod.Ack ? "INVITE"u8 : request.MethodName;

    /// <summary>Writes the key into <paramref name="destination"/>; returns its length, or -1 when it does not fit.</summary>
    public static int Build(SipMessage request, scoped in SipVia via, scoped ReadOnlySpan<byte> methodClass, Span<byte> destination)
    {
        int n = 0;
        if (via.HasMagicCookie)
        {
            if (!Append(destination, ref n, via.Branch) || !Append(destination, ref n, "|"u8))
                return -1;
            ReadOnlySpan<byte> host = via.Host;
            if (n + host.Length > destination.Length)
                return -1;
            // Host names compare case-insensitively.
            foreach (byte b in host)
                destination[n++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
            if (n + 8 > destination.Length)
                return -1;
            destination[n++] = (byte)':';
            Utf8Formatter.TryFormat(via.Port, destination.Slice(n), out int written);
            n += written;
        }
        else
        {
            request.TryGetFrom(out var from);
            request.TryGetCSeq(out SipCSeq cseq);
            if (!Append(destination, ref n, "2543|"u8) || !Append(destination, ref n, request.CallId) || !Append(destination, ref n, "|"u8)
                || !Append(destination, ref n, from.Tag) || !Append(destination, ref n, "|"u8)
                || !Append(destination, ref n, request.FirstElement(SipHeaderId.Via)) || n + 12 > destination.Length)
                return -1;
            destination[n++] = (byte)'|';
            Utf8Formatter.TryFormat(cseq.Number, destination.Slice(n), out int written);
            n += written;
        }
        if (!Append(destination, ref n, "|"u8) || !Append(destination, ref n, methodClass))
            return -1;
        return n;
    }

    /// <summary>A hash of a key.</summary>
    public static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private static bool Append(Span<byte> destination, ref int n, scoped ReadOnlySpan<byte> bytes)
    {
        if (n + bytes.Length > destination.Length)
            return false;
        bytes.CopyTo(destination.Slice(n));
        n += bytes.Length;
        return true;
    }
}
