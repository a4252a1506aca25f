using System.Text;
using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Tests.Parsing;

/// <summary>Documents written to hurt the parser: each is refused with a clear error, quickly and in bounded memory.</summary>
public sealed class HostileDocumentTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static async Task<VoiceAppException> ReadAllExpectingFailure(VoiceDocumentReader reader)
    {
        return await Assert.ThrowsAsync<VoiceAppException>(async () =>
        {
            while (await reader.ReadAsync().AsTask().WaitAsync(HangGuard) is not null)
            {
            }
        });
    }

    [Theory]
    [InlineData("hostile/billion-laughs.xml")]
    [InlineData("hostile/external-entity.xml")]
    [InlineData("hostile/external-dtd.xml")]
    public async Task Documents_with_a_dtd_are_refused_before_any_entity_is_expanded_or_fetched(string file)
    {
        using var reader = VoiceDocumentReader.FromString(Vectors.Read(file));

        var ex = await ReadAllExpectingFailure(reader);

        Assert.Equal(VoiceAppErrorCode.UnparseableDocument, ex.Code);
        Assert.Contains("DTD", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task External_entity_never_yields_the_file_contents()
    {
        using var reader = VoiceDocumentReader.FromString(Vectors.Read("hostile/external-entity.xml"));
        var said = new StringBuilder();

        try
        {
            while (await reader.ReadAsync() is { } verb)
                said.Append((verb as SayVerb)?.Text);
        }
        catch (VoiceAppException)
        {
        }

        Assert.DoesNotContain("root:", said.ToString());
    }

    [Fact]
    public async Task A_50_megabyte_body_is_cut_off_at_the_size_limit_in_bounded_memory()
    {
        var body = new GeneratedStream("<Response><Say>hello</Say><!-- ", (byte)'a', 50L * 1024 * 1024, " --></Response>");
        using var reader = new VoiceDocumentReader(body);

        Assert.IsType<SayVerb>(await reader.ReadAsync());
        var before = GC.GetAllocatedBytesForCurrentThread();
        var ex = await Assert.ThrowsAsync<VoiceAppException>(async () => await reader.ReadAsync());
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
        Assert.Contains("larger than 65536 bytes", ex.Message);
        Assert.InRange(body.Produced, 65536, 65536 + 64 * 1024);
        Assert.True(allocated < 4 * 1024 * 1024, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData("<Response>", "<a>", "</a>", "</Response>")]
    [InlineData("<Response><Unknown>", "<x>", "</x>", "</Unknown></Response>")]
    [InlineData("<Response><Say>", "<prosody>", "</prosody>", "</Say></Response>")]
    [InlineData("<Response><Gather>", "<Gather>", "</Gather>", "</Gather></Response>")]
    public async Task Ten_thousand_deep_nesting_is_refused_at_the_depth_limit(string open, string nestOpen, string nestClose, string close)
    {
        var xml = new StringBuilder(open);
        for (var i = 0; i < 10_000; i++)
            xml.Append(nestOpen);
        for (var i = 0; i < 10_000; i++)
            xml.Append(nestClose);
        xml.Append(close);
        using var reader = new VoiceDocumentReader(new MemoryStream(Encoding.UTF8.GetBytes(xml.ToString())),
            limits: VoiceDocumentLimits.Default with { MaxDocumentBytes = 1024 * 1024 });

        var ex = await ReadAllExpectingFailure(reader);

        Assert.True(ex.Code is VoiceAppErrorCode.TooLarge or VoiceAppErrorCode.InvalidVerb, ex.ToString());
        if (ex.Code == VoiceAppErrorCode.TooLarge)
            Assert.Contains("nested deeper than 10 levels", ex.Message);
        Assert.True(reader.BytesRead < 64 * 1024, $"read {reader.BytesRead} bytes");
    }

    [Fact]
    public async Task An_unbounded_stream_of_verbs_stops_at_the_verb_limit()
    {
        var xml = "<Response>" + string.Concat(Enumerable.Repeat("<Pause length=\"0\"/>", 300)) + "</Response>";
        using var reader = VoiceDocumentReader.FromString(xml);
        var read = 0;

        var ex = await Assert.ThrowsAsync<VoiceAppException>(async () =>
        {
            while (await reader.ReadAsync() is not null)
                read++;
        });

        Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
        Assert.Equal(256, read);
    }

    [Fact]
    public async Task Cancellation_stops_a_read_waiting_for_bytes()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        using var reader = new VoiceDocumentReader(pipe.Reader.AsStream());
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("<Response><Say>one</Say>"));
        using var cts = new CancellationTokenSource();

        Assert.IsType<SayVerb>(await reader.ReadAsync(cts.Token).AsTask().WaitAsync(HangGuard));
        var next = reader.ReadAsync(cts.Token).AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(HangGuard));
    }

    [Fact]
    public async Task Each_verb_is_returned_as_soon_as_its_end_tag_arrives()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        using var reader = new VoiceDocumentReader(pipe.Reader.AsStream());

        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?>\n<Response><Say>first</Say>"));
        var first = await reader.ReadAsync().AsTask().WaitAsync(HangGuard);
        var second = reader.ReadAsync().AsTask();
        await Task.Delay(50);
        var secondWaited = !second.IsCompleted;
        await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes("<Hangup/></Response>"));
        await pipe.Writer.CompleteAsync();

        Assert.Equal("first", Assert.IsType<SayVerb>(first).Text);
        Assert.True(secondWaited);
        Assert.IsType<HangupVerb>(await second.WaitAsync(HangGuard));
        Assert.Null(await reader.ReadAsync());
    }
}
