using BenchmarkDotNet.Attributes;
using Dialtone.Engine.VoiceXml.Parsing;

namespace Dialtone.Benchmarks;

/// <summary>
/// Streaming a typical 1 KB IVR document (Say, Pause, Gather with nested prompts, Dial with two
/// Numbers, Record, Hangup) into verbs: the work done once per document fetch.
/// </summary>
[MemoryDiagnoser]
public class DocumentParsingBenchmarks
{
    private static readonly Uri BaseUri = new("https://app.example.com/ivr/start");
    private byte[] _document = [];

    [GlobalSetup]
    public void Setup() => _document = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", "typical-ivr.xml"));

    [Benchmark]
    public async Task<int> ParseTypicalDocument()
    {
        using var reader = new VoiceDocumentReader(new MemoryStream(_document, writable: false), BaseUri);
        var verbs = 0;
        while (await reader.ReadAsync().ConfigureAwait(false) is not null)
            verbs++;
        return verbs;
    }
}
