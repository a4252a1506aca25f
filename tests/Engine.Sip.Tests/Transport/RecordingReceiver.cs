using System.Collections.Concurrent;
using System.Net;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transport;

/// <summary>Collects what a transport hands up, copying the bytes (the transport reuses its buffers).</summary>
internal sealed class RecordingReceiver : ISipTransportReceiver
{
    public BlockingCollection<(byte[] Bytes, IPEndPoint From, SipTransportProtocol Protocol, SipTcpConnection? Connection)> Messages { get; } = new();

    public BlockingCollection<IPEndPoint> SendFailures { get; } = new();

    public void OnMessageReceived(ReadOnlyMemory<byte> message, in SipRemote remote) =>
        Messages.Add((message.ToArray(), remote.ToEndPoint(), remote.Protocol, remote.Connection));

    public void OnSendFailed(in SipRemote remote) => SendFailures.Add(remote.ToEndPoint());

    public (byte[] Bytes, IPEndPoint From, SipTransportProtocol Protocol, SipTcpConnection? Connection) Take()
    {
        Assert.True(Messages.TryTake(out var item, TimeSpan.FromSeconds(10)), "no message arrived within 10 s");
        return item;
    }
}
