using System.Buffers;
using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Benchmarks;

/// <summary>Writing the bench INVITE (same headers and SDP body as data/invite.sip) into a reused buffer.</summary>
[MemoryDiagnoser]
public class SipWriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(2048);
    private byte[] _sdp = [];

    [GlobalSetup]
    public void Setup()
    {
        var message = new SipMessage();
        byte[] invite = BenchMessages.Load("invite.sip");
        if (!message.Parse(invite).IsSuccess)
            throw new InvalidOperationException("bench message must parse");
        _sdp = message.Body.ToArray();
        if (!WriteInvite().SequenceEqual(invite))
            throw new InvalidOperationException("the written INVITE must equal data/invite.sip byte for byte");
    }

    [Benchmark]
    public ReadOnlySpan<byte> WriteInvite()
    {
        _output.ResetWrittenCount();
        var w = new SipMessageWriter(_output);
        w.WriteRequestLine(SipMethod.Invite, "sip:bob@biloxi.example.com"u8);
        w.WriteVia("UDP"u8, "client.atlanta.example.com"u8, 5060, "z9hG4bK74bf9a8c3d1e"u8);
        w.WriteMaxForwards(70);
        w.WriteFrom("Alice Liddell"u8, "sip:alice@atlanta.example.com"u8, "9fxced76sl"u8);
        w.WriteTo("Bob Biloxi"u8, "sip:bob@biloxi.example.com"u8, default);
        w.WriteCallId("3848276298220188511@client.atlanta.example.com"u8);
        w.WriteCSeq(1, SipMethod.Invite);
        w.WriteContact("sip:alice@client.atlanta.example.com:5060;transport=udp"u8);
        w.WriteHeader(SipHeaderId.Allow, "INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE, PRACK"u8);
        w.WriteHeader(SipHeaderId.Supported, "replaces, timer, 100rel"u8);
        w.WriteHeader(SipHeaderId.SessionExpires, 1800);
        w.WriteHeader(SipHeaderId.UserAgent, "ExampleSoftphone/2.4.1 (Linux)"u8);
        w.WriteContentType("application/sdp"u8);
        w.WriteBody(_sdp);
        w.Flush();
        return _output.WrittenSpan;
    }
}
