using System.Text;
using Dialtone.Engine.Sip.Auth;

namespace Dialtone.Engine.Sip.Tests.Auth;

public sealed class Sha512_256Tests
{
    public static TheoryData<string, string, string> Vectors()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in AuthVectors.TabSeparatedRows("sha512-256.txt"))
            data.Add(row[0], row[1], row[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Matches_the_reference_digest(string kind, string input, string expected)
    {
        byte[] data = kind == "text"
            ? Encoding.ASCII.GetBytes(input)
            : Enumerable.Range(0, int.Parse(input, System.Globalization.CultureInfo.InvariantCulture)).Select(i => (byte)(i % 251)).ToArray();
        var digest = new byte[Sha512_256.HashSizeInBytes];

        Assert.Equal(32, Sha512_256.HashData(data, digest));

        Assert.Equal(expected, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Rejects_a_short_destination()
    {
        Assert.Throws<ArgumentException>(() => Sha512_256.HashData("abc"u8, new byte[31]));
    }
}
