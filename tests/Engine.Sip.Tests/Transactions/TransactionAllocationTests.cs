using System.Net;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Tests.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>
/// The transaction layer's hot paths allocate nothing once its pools are warm. Messages are fed
/// straight to the layer (its receiver side) on the test thread, responses leave through a real
/// UDP socket, and a manual clock runs the timers on the same thread, so the thread's allocation
/// counter sees the whole life of each transaction.
/// </summary>
public sealed class TransactionAllocationTests : IDisposable
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _layer;
    private readonly UdpPeer _peer = new();
    private readonly SocketAddress _peerAddress;
    private readonly OptionsAnswerer _handler = new();

    public TransactionAllocationTests()
    {
        _transport = new SipTransportLayer(new SipTransportOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), EnableTcp = false, UdpReceiveBufferBytes = 64 * 1024 }, _clock);
        _layer = new SipTransactionLayer(_transport, _handler, null, _clock);
        _peerAddress = _peer.EndPoint.Serialize();
    }

    private sealed class OptionsAnswerer : ISipRequestHandler
    {
        public void OnRequest(SipServerTransaction transaction, SipMessage request) => transaction.Respond(200, "tag"u8);

        public void OnAck(SipMessage ack, in SipRemote remote)
        {
        }
    }

    private byte[] Options(out int branchDigits)
    {
        byte[] message = SipTemplates.Transaction("options.sip", ("layerPort", 5060), ("peerPort", _peer.Port), ("branch", "z9hG4bK0000000000"),
            ("callId", "alloc-test"), ("cseq", 1));
        branchDigits = message.AsSpan().IndexOf("z9hG4bK0000000000"u8) + 7;
        return message;
    }

    private static void Number(byte[] message, int at, int value)
    {
        for (int i = 9; i >= 0; i--, value /= 10)
            message[at + i] = (byte)('0' + value % 10);
    }

    [Fact]
    public void A_non_invite_server_transaction_from_request_to_timer_J_allocates_nothing()
    {
        byte[] options = Options(out int digits);
        int n = 0;
        long allocated = SteadyStateAllocation.Measure(() => RunServer(options, digits, ref n, 500), out string history);

        Assert.True(allocated == 0, history);
        Assert.Equal(0, _layer.ServerTransactionCount);
        Assert.Equal(n, _layer.Counters.ResponsesSent(2));
        Assert.Equal(n, _layer.Counters.RetransmissionsReceived);
    }

    // The loop lives in its own method, warmed up by a first call, so the JIT's on-stack
    // replacement of a hot loop happens before the measured call, not during it.
    private void RunServer(byte[] options, int digits, ref int n, int count)
    {
        var remote = new SipRemote(SipTransportProtocol.Udp, _peerAddress, null);
        for (int i = 0; i < count; i++)
        {
            Number(options, digits, ++n);
            _layer.OnMessageReceived(options, remote);
            // A retransmission, absorbed with the 200 sent again.
            _layer.OnMessageReceived(options, remote);
            _clock.Advance(TimeSpan.FromSeconds(33));
        }
    }

    [Fact]
    public void A_client_transaction_with_its_response_and_timer_K_allocates_nothing()
    {
        var owner = new RecordingOwnerWithoutAllocation();
        var responseWriter = new FixedBufferWriter(new byte[1024]);
        int runs = 0;
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            runs++;
            RunClient(owner, responseWriter, 500);
        }, out string history);

        Assert.True(allocated == 0, history);
        Assert.Equal(runs * 500, owner.Responses);
        Assert.Equal(0, _layer.ClientTransactionCount);
    }

    private void RunClient(RecordingOwnerWithoutAllocation owner, FixedBufferWriter responseWriter, int count)
    {
        var destination = new SipDestination(SipTransportProtocol.Udp, _peerAddress);
        var remote = new SipRemote(SipTransportProtocol.Udp, _peerAddress, null);
        for (int i = 0; i < count; i++)
        {
            SipClientTransaction tx = _layer.CreateClientTransaction(SipMethod.Options, destination, owner);
            var writer = new SipMessageWriter(tx.RequestBuffer);
            writer.WriteRequestLine(SipMethod.Options, "sip:peer@127.0.0.1"u8);
            writer.WriteVia("UDP"u8, "127.0.0.1"u8, 5060, tx.Branch);
            writer.WriteMaxForwards();
            writer.WriteHeader(SipHeaderId.From, "<sip:a@127.0.0.1>;tag=1"u8);
            writer.WriteHeader(SipHeaderId.To, "<sip:peer@127.0.0.1>"u8);
            writer.WriteCallId("alloc-client"u8);
            writer.WriteCSeq(1, SipMethod.Options);
            writer.WriteEmptyBody();
            writer.Flush();
            tx.Start();
            int length = WriteResponse(responseWriter, tx.Branch);
            ReadOnlyMemory<byte> response = responseWriter.Array.AsMemory(0, length);
            _layer.OnMessageReceived(response, remote);
            // The retransmitted 200 is absorbed.
            _layer.OnMessageReceived(response, remote);
            tx.Release();
            _clock.Advance(TimeSpan.FromSeconds(6));
        }
    }

    [Fact]
    public void Dropping_stray_responses_and_garbage_allocates_nothing()
    {
        byte[] stray = SipTemplates.Transaction("response.sip", ("status", 200), ("reason", "OK"), ("layerPort", 5060),
            ("branch", "z9hG4bK0123456789abcdef"), ("toTagParam", ""), ("callId", "x"), ("cseq", 1), ("method", "OPTIONS"));
        byte[] garbage = "this is not SIP\r\n\r\n"u8.ToArray();
        var remote = new SipRemote(SipTransportProtocol.Udp, _peerAddress, null);
        int runs = 0;
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            runs++;
            Drop(stray, garbage, remote, 500);
        });
        Assert.Equal(0, allocated);
        Assert.Equal(runs * 500, _layer.Counters.Drops(SipDropReason.StrayResponse));
        Assert.Equal(runs * 500, _layer.Counters.Drops(SipDropReason.Unparseable));
    }

    private void Drop(byte[] stray, byte[] garbage, SipRemote remote, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _layer.OnMessageReceived(stray, remote);
            _layer.OnMessageReceived(garbage, remote);
        }
    }

    private static int WriteResponse(FixedBufferWriter buffer, ReadOnlySpan<byte> branch)
    {
        buffer.Reset();
        var writer = new SipMessageWriter(buffer);
        writer.WriteStatusLine(200);
        writer.WriteVia("UDP"u8, "127.0.0.1"u8, 5060, branch, rport: false);
        writer.WriteHeader(SipHeaderId.From, "<sip:a@127.0.0.1>;tag=1"u8);
        writer.WriteHeader(SipHeaderId.To, "<sip:peer@127.0.0.1>;tag=2"u8);
        writer.WriteCallId("alloc-client"u8);
        writer.WriteCSeq(1, SipMethod.Options);
        writer.WriteEmptyBody();
        writer.Flush();
        return buffer.Written;
    }

    private sealed class RecordingOwnerWithoutAllocation : ISipClientTransactionOwner
    {
        public int Responses;

        public void OnResponse(SipClientTransaction transaction, SipMessage response) => Responses++;

        public void OnTimeout(SipClientTransaction transaction)
        {
        }

        public void OnTransportError(SipClientTransaction transaction)
        {
        }
    }

    public void Dispose()
    {
        _layer.Dispose();
        _transport.Dispose();
        _peer.Dispose();
    }
}
