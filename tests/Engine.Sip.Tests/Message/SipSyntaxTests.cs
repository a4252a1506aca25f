using System.Text;
using CsCheck;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

/// <summary>
/// The small scanners the typed views share, against plain definitions: whitespace, the
/// case-insensitive name compare, escapes, the short byte search and the quoted-string scan.
/// </summary>
public class SipSyntaxTests
{
    private static readonly Gen<byte[]> s_spans = Gen.Frequency(
            (6, Gen.Char["abz09%\"\\<>,; \t\r\n"].Select(c => (byte)c)),
            (1, Gen.Byte))
        .Array[0, 90];

    [Fact]
    public void Whitespace_is_exactly_sp_htab_cr_and_lf()
    {
        for (int b = 0; b < 256; b++)
            Assert.Equal(b is ' ' or '\t' or '\r' or '\n', SipSyntax.IsWhitespace((byte)b));
    }

    [Fact]
    public void Lower_literal_compare_ors_0x20_into_every_byte()
    {
        Gen.Select(Gen.Char["aAbBzZ09-.!%_"].Array[0, 11], Gen.Char["abz09-"].Array[0, 11]).Sample((token, literal) =>
        {
            byte[] t = Encoding.ASCII.GetBytes(token);
            byte[] l = Encoding.ASCII.GetBytes(literal);
            bool expected = t.Length == l.Length && t.Select((b, i) => (b | 0x20) == l[i]).All(x => x);
            Assert.Equal(expected, SipSyntax.EqualsLowerLiteral(t, l));
        }, iter: 2000);
        Assert.True(SipSyntax.EqualsLowerLiteral("BRANCH"u8, "branch"u8));
        Assert.True(SipSyntax.EqualsLowerLiteral("Received"u8, "received"u8));
        Assert.False(SipSyntax.EqualsLowerLiteral("branc"u8, "branch"u8));
    }

    [Fact]
    public void Escapes_are_valid_only_as_percent_and_two_hex_digits()
    {
        s_spans.Sample(bytes =>
        {
            bool expected = true;
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'%' && !(i + 2 < bytes.Length && Uri.IsHexDigit((char)bytes[i + 1]) && Uri.IsHexDigit((char)bytes[i + 2])))
                    expected = false;
            }
            Assert.Equal(expected, SipSyntax.HasValidEscapes(bytes));
        }, iter: 3000);
    }

    [Fact]
    public void Short_byte_search_matches_the_general_search_at_every_start()
    {
        s_spans.Sample(bytes =>
        {
            for (int start = 0; start <= bytes.Length + 1; start++)
            {
                int expected = start > bytes.Length ? -1 : bytes.AsSpan(start).IndexOf((byte)'>') is int r and >= 0 ? start + r : -1;
                Assert.Equal(expected, SipSyntax.IndexOf(bytes, start, (byte)'>'));
            }
        }, iter: 2000);
    }

    // RFC 3261 §25.1 quoted-string as a plain loop: qdtext, quoted-pair (not escaping CR or LF),
    // and a CR only as the start of a fold.
    private static int ReferenceQuotedString(ReadOnlySpan<byte> span, int start)
    {
        int i = start + 1;
        while (i < span.Length)
        {
            byte b = span[i];
            if (b == (byte)'"')
                return i + 1;
            if (b == (byte)'\\')
            {
                if (i + 1 >= span.Length || span[i + 1] is (byte)'\r' or (byte)'\n')
                    return -1;
                i += 2;
            }
            else if (b == (byte)'\r')
            {
                if (i + 2 >= span.Length || span[i + 1] != (byte)'\n' || span[i + 2] is not ((byte)' ' or (byte)'\t'))
                    return -1;
                i += 3;
            }
            else
            {
                i++;
            }
        }
        return -1;
    }

    [Fact]
    public void Quoted_string_scan_matches_the_grammar_wherever_the_quote_ends()
    {
        Gen<byte[]> quoted = Gen.Char["ab \"\\\r\n\t"].Select(c => (byte)c).Array[0, 60].Select(rest => (byte[])[(byte)'"', .. rest]);
        quoted.Sample(bytes => Assert.Equal(ReferenceQuotedString(bytes, 0), SipSyntax.ScanQuotedString(bytes, 0)), iter: 5000);
    }

    [Theory]
    [InlineData("\"Alice Liddell\" <sip:alice@atlanta.example.com>", 15)]
    [InlineData("\"0123456789abcdefghij\" <sip:a@b>", 22)]
    [InlineData("\"0123456789abcd\\\"efghij\" <sip:a@b>", 24)]
    [InlineData("\"0123456789abcdefghij\r\n folded\" <sip:a@b>", 31)]
    [InlineData("\"0123456789abcdefghij\r\nnot folded\" <sip:a@b>", -1)]
    [InlineData("\"unterminated <sip:a@b>", -1)]
    public void Quoted_string_ends_after_its_closing_quote(string text, int end)
    {
        Assert.Equal(end, SipSyntax.ScanQuotedString(Encoding.ASCII.GetBytes(text), 0));
    }
}
