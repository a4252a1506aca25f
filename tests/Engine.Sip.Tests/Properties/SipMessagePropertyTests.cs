using System.Buffers;
using System.Text;
using CsCheck;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Properties;

public class SipMessagePropertyTests
{
    private const string TokenChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~";
    private const string HostChars = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static readonly Gen<string> s_token = Gen.String[Gen.Char[TokenChars], 1, 24];
    // RFC 3261 §25.1 user = 1*( unreserved / escaped / user-unreserved ); escapes are left out.
    private static readonly Gen<string> s_user = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*'()&=+$,;?/"], 1, 16];
    private static readonly Gen<string> s_label = Gen.String[Gen.Char[HostChars], 1, 12];
    private static readonly Gen<string> s_host = Gen.Frequency(
        (4, Gen.Select(s_label, s_label, (a, b) => $"{a}.{b}.example")),
        (1, Gen.Select(Gen.Int[0, 255], Gen.Int[0, 255], (a, b) => $"192.0.{a}.{b}")),
        (1, Gen.Select(Gen.Int[1, 0xffff], Gen.Int[1, 0xffff], (a, b) => $"[2001:db8::{a:x}:{b:x}]")));
    private static readonly Gen<string> s_display = Gen.String[Gen.Char[" abcXYZ09\"\\,;<>@:é"], 0, 20];
    private static readonly Gen<SipMethod> s_method = Gen.Enum<SipMethod>().Where(m => m != SipMethod.Extension);

    private sealed record Request(SipMethod Method, string User, string Host, int Port, string Branch, string FromName,
        string FromTag, string ToTag, string CallId, uint CSeq, int MaxForwards, byte[] Body);

    private static readonly Gen<Request> s_request =
        Gen.Select(s_method, s_user, s_host, Gen.Int[0, 65535], s_token, s_display, s_token, s_token)
            .Select(Gen.String[Gen.Char[TokenChars + "@"], 1, 40].Where(c => c.Trim('@').Length > 0),
                    Gen.UInt, Gen.Int[0, 255], Gen.Byte.Array[0, 300],
                    (t, callId, cseq, mf, body) => new Request(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, t.Item8,
                        callId, cseq, mf, body));

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    [Fact]
    public void Any_request_the_writer_builds_parses_back_to_the_same_fields()
    {
        s_request.Sample(r =>
        {
            var output = new ArrayBufferWriter<byte>();
            var w = new SipMessageWriter(output);
            string uri = $"sip:{r.User}@{r.Host}" + (r.Port > 0 ? $":{r.Port}" : "");
            w.WriteRequestLine(r.Method, Utf8(uri));
            w.WriteVia("UDP"u8, Utf8(r.Host), r.Port, Utf8("z9hG4bK" + r.Branch));
            w.WriteMaxForwards(r.MaxForwards);
            w.WriteFrom(Utf8(r.FromName), Utf8($"sip:caller@{r.Host}"), Utf8(r.FromTag));
            w.WriteTo(default, Utf8(uri), Utf8(r.ToTag));
            w.WriteCallId(Utf8(r.CallId));
            w.WriteCSeq(r.CSeq, r.Method);
            w.WriteContentType("application/octet-stream"u8);
            w.WriteBody(r.Body);
            w.Flush();

            using var framer = new SipStreamFramer();
            SipFrame frame = framer.Read(new ReadOnlySequence<byte>(output.WrittenMemory));
            Assert.Equal(SipFrameStatus.Message, frame.Status);
            Assert.Equal(output.WrittenCount, frame.Length);

            var m = new SipMessage();
            SipParseResult result = m.Parse(output.WrittenMemory, SipFraming.Stream);
            Assert.True(result.IsSuccess, result.ToString());
            Assert.Equal(r.Method, m.Method);
            Assert.Equal(uri, T(m.RequestUri));
            Assert.True(SipUri.TryParse(m.RequestUri, out SipUri parsedUri));
            Assert.Equal(r.User, T(parsedUri.User));
            Assert.Equal(r.Host, T(parsedUri.Host));
            Assert.Equal(r.Port > 0 ? r.Port : -1, parsedUri.Port);
            Assert.True(m.TryGetTopVia(out var via));
            Assert.Equal("z9hG4bK" + r.Branch, T(via.Branch));
            Assert.Equal(r.Host, T(via.Host));
            Assert.True(m.TryGetFrom(out var from));
            Span<byte> name = stackalloc byte[128];
            Assert.True(from.TryGetDisplayName(name, out int n));
            Assert.Equal(r.FromName, Encoding.UTF8.GetString(name[..n]));
            Assert.Equal(r.FromTag, T(from.Tag));
            Assert.True(m.TryGetTo(out var to));
            Assert.Equal(r.ToTag, T(to.Tag));
            Assert.True(to.Uri.EqualsUri(parsedUri));
            Assert.Equal(r.CallId, T(m.CallId));
            Assert.True(m.TryGetCSeq(out var cseq));
            Assert.Equal(r.CSeq, cseq.Number);
            Assert.Equal(r.Method, cseq.Method);
            Assert.True(m.TryGetMaxForwards(out int mf));
            Assert.Equal(r.MaxForwards, mf);
            Assert.Equal(r.Body, m.Body.ToArray());
            Assert.Equal(0, new SipMessageValidator(new SipValidatorOptions { AcceptedContentTypes = ["application/octet-stream"] })
                .ValidateRequest(m).StatusCode);
        }, iter: 2_000);
    }

    [Fact]
    public void Any_response_the_writer_builds_parses_back_to_the_same_status()
    {
        Gen.Select(Gen.Int[100, 699], Gen.String[Gen.Char["abc XYZ-é/"], 0, 30], s_token).Sample((code, reason, tag) =>
        {
            var request = new SipMessage();
            Assert.True(request.Parse(TestFiles.Bench("invite.sip")).IsSuccess);
            var output = new ArrayBufferWriter<byte>();
            var w = new SipMessageWriter(output);
            w.WriteResponseTo(request, code, Utf8(tag));
            w.WriteEmptyBody();
            w.Flush();
            var m = new SipMessage();
            Assert.True(m.Parse(output.WrittenMemory, SipFraming.Stream).IsSuccess);
            Assert.Equal(code, m.StatusCode);
            Assert.True(m.TryGetTo(out var to));
            Assert.Equal(code == 100 ? "" : tag, T(to.Tag));
            Assert.Equal(T(request.CallId), T(m.CallId));
            Assert.True(new SipMessageValidator().ValidateResponse(m).IsAcceptable);
        }, iter: 1_000);
    }

    private static readonly byte[][] s_seeds = LoadSeeds();

    private static byte[][] LoadSeeds()
    {
        var files = Directory.GetFiles(TestFiles.PathOf("vectors"), "*.sip", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(TestFiles.PathOf("Message", "vectors"), "*.sip"))
            .Concat(Directory.GetFiles(TestFiles.PathOf("bench-data"), "*.sip"));
        return files.Select(File.ReadAllBytes).ToArray();
    }

    private static readonly byte[] s_interesting = "\r\n\0 \t:;,\"<>\\[]@%=/?*0123456789aZ\u00c3\u00ff"u8.ToArray();

    /// <summary>One random mutation: flip, truncate, insert, duplicate a slice, or delete a slice.</summary>
    private static readonly Gen<(int Seed, int Kind, int Position, int Length, byte Value)> s_mutation =
        Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Int[1, 64], Gen.Byte);

    private static byte[] Mutate(byte[] source, (int Seed, int Kind, int Position, int Length, byte Value) m)
    {
        int at = source.Length == 0 ? 0 : m.Position % source.Length;
        int len = Math.Min(m.Length, source.Length - at);
        byte value = (m.Value & 1) == 0 ? s_interesting[m.Value % s_interesting.Length] : m.Value;
        return m.Kind switch
        {
            0 => [.. source[..at], value, .. source[Math.Min(at + 1, source.Length)..]],
            1 => source[..at],
            2 => [.. source[..at], .. Enumerable.Repeat(value, m.Length), .. source[at..]],
            3 => [.. source[..(at + len)], .. source[at..(at + len)], .. source[at..]],
            4 => [.. source[..at], .. source[(at + len)..]],
            _ => [.. source[..at], (byte)(source.Length > 0 ? source[at] ^ (1 << (m.Value & 7)) : value), .. source[Math.Min(at + 1, source.Length)..]],
        };
    }

    [Fact]
    public async Task Random_mutations_of_valid_messages_never_throw_or_hang()
    {
        var run = Task.Run(() =>
            Gen.Select(Gen.Int[0, s_seeds.Length - 1], s_mutation, s_mutation, Gen.Bool).Sample((seed, first, second, twice) =>
            {
                byte[] mutated = Mutate(s_seeds[seed], first);
                if (twice)
                    mutated = Mutate(mutated, second);
                SipMessageExerciser.Exercise(mutated);
            }, iter: 4_000, threads: 1));
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(3)));
        Assert.Same(run, finished);
        await run;
    }

    [Fact]
    public void Every_seed_message_survives_the_exerciser()
    {
        foreach (byte[] seed in s_seeds)
            SipMessageExerciser.Exercise(seed);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 600].Sample(bytes => SipMessageExerciser.Exercise(bytes), iter: 2_000);
        Gen.String[Gen.Char["SIP/2.0 INVITE sip:@;=,\"<>\r\n\t:0123456789abc"], 0, 400]
            .Sample(text => SipMessageExerciser.Exercise(Encoding.ASCII.GetBytes(text)), iter: 2_000);
    }
}
