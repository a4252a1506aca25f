using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Benchmarks;

/// <summary>
/// Typed access of the six hot headers of an already parsed INVITE: top Via (branch, sent-by),
/// From (URI, tag), To (URI, tag), CSeq (number, method), Call-ID and Contact URI. This is the
/// cost on top of parsing.
/// </summary>
[MemoryDiagnoser]
public class SipTypedAccessBenchmarks
{
    private readonly SipMessage _message = new();

    [GlobalSetup]
    public void Setup()
    {
        if (!_message.Parse(BenchMessages.Load("invite.sip")).IsSuccess)
            throw new InvalidOperationException("bench message must parse");
    }

    [Benchmark]
    public int ReadHotHeaders()
    {
        int sum = 0;
        if (_message.TryGetTopVia(out SipVia via))
            sum += via.Branch.Length + via.Host.Length + via.Port;
        if (_message.TryGetFrom(out SipNameAddress from))
            sum += from.Tag.Length + from.Uri.Host.Length;
        if (_message.TryGetTo(out SipNameAddress to))
            sum += to.Tag.Length + to.Uri.User.Length;
        if (_message.TryGetCSeq(out SipCSeq cseq))
            sum += (int)cseq.Number + (int)cseq.Method;
        sum += _message.CallId.Length;
        if (_message.TryGetContact(out SipNameAddress contact))
            sum += contact.Uri.Port;
        return sum;
    }

    // The same reads one header at a time, to see where the total goes.

    [Benchmark]
    public int TopVia() => _message.TryGetTopVia(out SipVia via) ? via.Branch.Length + via.Host.Length + via.Port : 0;

    [Benchmark]
    public int From() => _message.TryGetFrom(out SipNameAddress from) ? from.Tag.Length + from.Uri.Host.Length : 0;

    [Benchmark]
    public int To() => _message.TryGetTo(out SipNameAddress to) ? to.Tag.Length + to.Uri.User.Length : 0;

    [Benchmark]
    public int CSeq() => _message.TryGetCSeq(out SipCSeq cseq) ? (int)cseq.Number + (int)cseq.Method : 0;

    [Benchmark]
    public int CallId() => _message.CallId.Length;

    [Benchmark]
    public int Contact() => _message.TryGetContact(out SipNameAddress contact) ? contact.Uri.Port : 0;
}
