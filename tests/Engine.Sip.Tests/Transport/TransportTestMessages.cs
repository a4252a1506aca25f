using System.Text;

namespace Dialtone.Engine.Sip.Tests.Transport;

internal static class TransportTestMessages
{
    public static byte[] Options(int cseq, string body = "")
    {
        string text =
            "OPTIONS sip:probe@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/TCP 127.0.0.1:5999;branch=z9hG4bK-{cseq}\r\n" +
            "Max-Forwards: 70\r\n" +
            "From: <sip:t@127.0.0.1>;tag=1\r\n" +
            "To: <sip:probe@127.0.0.1>\r\n" +
            "Call-ID: transport-test\r\n" +
            $"CSeq: {cseq} OPTIONS\r\n" +
            $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n" + body;
        return Encoding.ASCII.GetBytes(text);
    }
}
