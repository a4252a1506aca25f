using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dialtone.Engine.Sip.Tests.Transactions;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>
/// A hand-driven far end on a bare UDP socket: the test reads each request and answers it with
/// whatever it wants (forks, crossings, odd responses) to see how our user agent copes.
/// </summary>
internal sealed partial class RawUas : IDisposable
{
    private readonly UdpPeer _peer = new();
    private readonly List<string> _pending = [];

    public int Port => _peer.Port;

    public IPEndPoint EndPoint => _peer.EndPoint;

    public List<string> Received { get; } = [];

    /// <summary>The next request with <paramref name="method"/> (others seen meanwhile are kept for later).</summary>
    public string Expect(string method, int timeoutMs = 5000)
    {
        long deadline = Environment.TickCount64 + timeoutMs;
        while (true)
        {
            for (int i = 0; i < _pending.Count; i++)
            {
                if (_pending[i].StartsWith(method + " ", StringComparison.Ordinal))
                {
                    string found = _pending[i];
                    _pending.RemoveAt(i);
                    return found;
                }
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
                throw new Xunit.Sdk.XunitException($"No {method} within {timeoutMs} ms; received: {string.Join(" | ", Received.Select(r => r.Split("\r\n")[0]))}");
            if (_peer.Receive((int)left) is { } message)
            {
                Received.Add(message);
                _pending.Add(message);
            }
        }
    }

    /// <summary>True when no request with <paramref name="method"/> arrives within <paramref name="waitMs"/>.</summary>
    public bool Quiet(string method, int waitMs = 300)
    {
        try
        {
            Expect(method, waitMs);
            return false;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return true;
        }
    }

    /// <summary>Answers <paramref name="request"/> (to its Via's rport, or sent-by).</summary>
    public void Respond(string request, int status, string? toTag = null, string? sdp = null, string extraHeaders = "")
    {
        var lines = request.Split("\r\n");
        var response = new StringBuilder($"SIP/2.0 {status} {Reason(status)}\r\n");
        foreach (string line in lines.Skip(1).TakeWhile(l => l.Length > 0))
        {
            string name = line[..line.IndexOf(':')];
            if (name is "Via" or "From" or "Call-ID" or "CSeq" or "Record-Route")
                response.Append(line).Append("\r\n");
            else if (name == "To")
                response.Append(line).Append(toTag is null || line.Contains(";tag=") ? "" : ";tag=" + toTag).Append("\r\n");
        }
        response.Append($"Contact: <sip:raw@127.0.0.1:{Port}>\r\n");
        response.Append(extraHeaders);
        if (sdp is null)
        {
            response.Append("Content-Length: 0\r\n\r\n");
        }
        else
        {
            response.Append($"Content-Type: application/sdp\r\nContent-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n{sdp}");
        }
        _peer.SendTo(Encoding.UTF8.GetBytes(response.ToString()), ReplyTo(request));
    }

    /// <summary>Sends raw text to the user agent at <paramref name="target"/>.</summary>
    public void Send(string message, IPEndPoint target) => _peer.SendTo(Encoding.UTF8.GetBytes(message.Replace("\r\n", "\n").Replace("\n", "\r\n")), target);

    public static string Header(string message, string name)
    {
        foreach (string line in message.Split("\r\n"))
        {
            if (line.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase))
                return line[(name.Length + 2)..];
        }
        return "";
    }

    private static IPEndPoint ReplyTo(string request)
    {
        string via = Header(request, "Via");
        var match = SentBy().Match(via);
        return new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Reason(int status) => Encoding.ASCII.GetString(Dialtone.Engine.Sip.Message.SipReasonPhrases.Get(status));

    [GeneratedRegex(@"SIP/2\.0/UDP ([0-9.]+):(\d+)")]
    private static partial Regex SentBy();

    public void Dispose() => _peer.Dispose();
}
