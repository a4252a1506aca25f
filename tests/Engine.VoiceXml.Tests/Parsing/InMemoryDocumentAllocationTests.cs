using Dialtone.Engine.VoiceXml.Parsing;

namespace Dialtone.Engine.VoiceXml.Tests.Parsing;

public sealed class InMemoryDocumentAllocationTests
{
    private const string Document =
        "<Response><Say voice=\"alice\">Your pin is 8 9 70</Say><Pause length=\"2\"/>"
        + "<Gather numDigits=\"4\" action=\"https://app.example.com/next\"><Say>Enter the code</Say></Gather><Hangup/></Response>";

    [Fact]
    public async Task An_inline_document_is_read_without_the_async_readers_64_KB_buffers()
    {
        // Warm up: first use builds the XML reader's static tables.
        await VoiceDocumentReader.ParseAsync(Document);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var verbs = await VoiceDocumentReader.ParseAsync(Document);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(4, verbs.Count);
        // An async XmlReader takes a 64 KB byte buffer and a 64 K-char buffer (about 190 KB) per
        // document; a call holds its document while it runs, so that was most of a call's memory.
        Assert.True(allocated < 48 * 1024, $"parsing allocated {allocated} bytes");
    }
}
