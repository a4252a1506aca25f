using System.Text;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>One message seen by a <see cref="MessageRecorder"/>, with the fake-clock time it was seen at.</summary>
internal sealed record SentMessage(TimeSpan At, bool Outgoing, byte[] Bytes, SipTransportProtocol Protocol)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public string StartLine => Text.Split("\r\n")[0];

    public bool IsRequest(string method) => StartLine.StartsWith(method + " ", StringComparison.Ordinal);

    public bool IsResponse(int status) => StartLine.StartsWith($"SIP/2.0 {status} ", StringComparison.Ordinal);

    public int StatusCode
    {
        get
        {
            var message = new SipMessage();
            return message.Parse(Bytes).IsSuccess ? message.StatusCode : -1;
        }
    }

    /// <summary>The first value of a header, by full name, or null.</summary>
    public string? Header(string name)
    {
        var message = new SipMessage();
        if (!message.Parse(Bytes).IsSuccess)
            return null;
        var value = message.GetValue(Encoding.ASCII.GetBytes(name));
        return message.TryGetHeader(Encoding.ASCII.GetBytes(name), out _) ? Encoding.UTF8.GetString(value) : null;
    }

    /// <summary>Every line of a header, in order.</summary>
    public IReadOnlyList<string> Headers(string name)
    {
        var list = new List<string>();
        var message = new SipMessage();
        if (!message.Parse(Bytes).IsSuccess)
            return list;
        foreach (var header in message.GetHeaders(Encoding.ASCII.GetBytes(name)))
            list.Add(Encoding.UTF8.GetString(message.GetValue(header)));
        return list;
    }

    public string Body
    {
        get
        {
            var message = new SipMessage();
            return message.Parse(Bytes).IsSuccess ? Encoding.UTF8.GetString(message.Body) : "";
        }
    }

    public override string ToString() => $"{At.TotalMilliseconds,8:0} ms {(Outgoing ? "->" : "<-")} {StartLine}";
}
