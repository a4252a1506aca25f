using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Benchmarks;

/// <summary>
/// Parsing the bench messages into a reused <see cref="SipMessage"/> (start line, header index,
/// body), against a floor: one vectorized scan of the same INVITE bytes for line ends.
/// </summary>
[MemoryDiagnoser]
public class SipParseBenchmarks
{
    private readonly SipMessage _message = new();
    private byte[] _invite = [];
    private byte[] _ok200 = [];
    private byte[] _options = [];

    [GlobalSetup]
    public void Setup()
    {
        _invite = BenchMessages.Load("invite.sip");
        _ok200 = BenchMessages.Load("ok200.sip");
        _options = BenchMessages.Load("options.sip");
        if (!_message.Parse(_invite).IsSuccess || !_message.Parse(_ok200).IsSuccess || !_message.Parse(_options).IsSuccess)
            throw new InvalidOperationException("bench messages must parse");
    }

    /// <summary>The floor: count the '\n' bytes of the INVITE with span.IndexOf, line by line.</summary>
    [Benchmark(Baseline = true)]
    public int ScanInviteLineEnds()
    {
        ReadOnlySpan<byte> span = _invite;
        int lines = 0;
        int i;
        while ((i = span.IndexOf((byte)'\n')) >= 0)
        {
            lines++;
            span = span.Slice(i + 1);
        }
        return lines;
    }

    [Benchmark]
    public int ParseInvite() => _message.Parse(_invite).IsSuccess ? _message.HeaderCount : -1;

    [Benchmark]
    public int ParseOk200() => _message.Parse(_ok200).IsSuccess ? _message.HeaderCount : -1;

    [Benchmark]
    public int ParseOptions() => _message.Parse(_options).IsSuccess ? _message.HeaderCount : -1;
}
