using System.Text;
using CsCheck;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

/// <summary>
/// The character-class scanners against their definition, a byte loop over the class table: the
/// 16-byte vector steps must give the same answer at every start, for runs that end inside a block,
/// on a block edge or at the end of the span, and for bytes outside ASCII.
/// </summary>
public class SipCharTableTests
{
    private static readonly SipCharClass[] s_singleClasses =
        Enum.GetValues<SipCharClass>().Where(c => c != SipCharClass.None).ToArray();

    // Mostly the characters SIP is made of (so that runs get long), sometimes any byte at all.
    private static readonly Gen<byte[]> s_spans = Gen.Frequency(
            (6, Gen.Char["abcXYZ0129-._!%*+`'~:;=@[]?&$,/\"<> \t\r\n"].Select(c => (byte)c)),
            (1, Gen.Byte))
        .Array[0, 100];

    private static int ReferenceScan(ReadOnlySpan<byte> span, int start, SipCharClass classes)
    {
        if ((uint)start >= (uint)span.Length)
            return start;
        int i = start;
        while (i < span.Length && SipCharTable.Is(span[i], classes))
            i++;
        return i;
    }

    // hostname = *( domainlabel "." ) toplabel [ "." ]: not empty, no leading dot, no "..".
    private static bool ReferenceHostname(ReadOnlySpan<byte> span, int start, out int end)
    {
        end = ReferenceScan(span, start, SipCharClass.Hostname);
        ReadOnlySpan<byte> host = (uint)start < (uint)span.Length ? span[start..end] : default;
        return !host.IsEmpty && host[0] != (byte)'.' && host.IndexOf(".."u8) < 0;
    }

    [Fact]
    public void Scan_matches_a_byte_loop_for_every_class_and_start()
    {
        s_spans.Sample(bytes =>
        {
            foreach (SipCharClass c in s_singleClasses)
            {
                for (int start = 0; start <= bytes.Length + 1; start++)
                    Assert.Equal(ReferenceScan(bytes, start, c), SipCharTable.Scan(bytes, start, c));
                Assert.Equal(ReferenceScan(bytes, 0, c) == bytes.Length, SipCharTable.All(bytes, c));
            }
        }, iter: 2000);
    }

    [Fact]
    public void Scan_of_combined_classes_matches_a_byte_loop()
    {
        const SipCharClass tokenOrSpace = SipCharClass.Token | SipCharClass.Whitespace;
        s_spans.Sample(bytes =>
        {
            for (int start = 0; start <= bytes.Length; start++)
                Assert.Equal(ReferenceScan(bytes, start, tokenOrSpace), SipCharTable.Scan(bytes, start, tokenOrSpace));
        }, iter: 500);
    }

    [Fact]
    public void Hostname_scan_matches_the_label_rules_at_every_start()
    {
        Gen<byte[]> hosts = Gen.Char["ab9-..:;"].Select(c => (byte)c).Array[0, 70];
        hosts.Sample(bytes =>
        {
            for (int start = 0; start <= bytes.Length; start++)
            {
                bool expected = ReferenceHostname(bytes, start, out int expectedEnd);
                Assert.Equal(expected, SipCharTable.TryScanHostname(bytes, start, out int end));
                Assert.Equal(expectedEnd, end);
                Assert.Equal(expected ? expectedEnd : -1, SipCharTable.ScanHostname(bytes, start));
            }
        }, iter: 2000);
    }

    [Theory]
    // An empty label, a leading dot or a trailing dot placed on either side of the 16-byte and
    // 32-byte block edges, in spans just shorter and just longer than a block.
    [InlineData("abcdefghijklmno.", true)]
    [InlineData("abcdefghijklmn..", false)]
    [InlineData("abcdefghijklmno..", false)]
    [InlineData("abcdefghijklmnop..", false)]
    [InlineData("abcdefghijklmnop.q", true)]
    [InlineData("abcdefghijklmno.p.q", true)]
    [InlineData(".bcdefghijklmnopqrstu", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcde..f", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdef..", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdef.g", true)]
    [InlineData("client.atlanta.example.com:5060;branch=z9hG4bK74bf9a8c3d1e", true)]
    [InlineData("client.atlanta..example.com:5060;branch=z9hG4bK74bf9a8c3d1e", false)]
    [InlineData("a.b", true)]
    [InlineData(".", false)]
    [InlineData("", false)]
    public void Hostname_labels_are_checked_across_block_edges(string text, bool valid)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        Assert.Equal(valid, ReferenceHostname(bytes, 0, out int expectedEnd));
        Assert.Equal(valid, SipCharTable.TryScanHostname(bytes, 0, out int end));
        Assert.Equal(expectedEnd, end);
    }

    [Fact]
    public void Every_class_is_ascii_only()
    {
        // The vector step maps a byte's high nibble to a bit of an 8-bit bitmap entry: that holds
        // only while no byte of 0x80 or more belongs to any class.
        for (int b = 0x80; b <= 0xFF; b++)
        {
            foreach (SipCharClass c in s_singleClasses)
                Assert.False(SipCharTable.Is((byte)b, c), $"0x{b:X2} in {c}");
        }
    }

    [Fact]
    public void Header_parameter_values_are_tokens_plus_the_ipv6_reference_characters()
    {
        // The parameter reader scans a value as a token and continues as a host only at ':' '[' ']'.
        for (int b = 0; b < 256; b++)
        {
            bool token = SipCharTable.Is((byte)b, SipCharClass.Token);
            bool value = SipCharTable.Is((byte)b, SipCharClass.ParamValue);
            Assert.Equal(token || b is ':' or '[' or ']', value);
        }
    }
}
