using System.Buffers.Text;
using System.Text;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// DTMF in SIP INFO bodies: <c>application/dtmf-relay</c> (<c>Signal=5</c> and <c>Duration=160</c>
/// lines, the de-facto format) and <c>application/dtmf</c> (the digit alone).
/// </summary>
public static class SipDtmfRelay
{
    /// <summary>Reads the digit and duration (ms, 0 when absent). False when there is no valid digit.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out char digit, out int durationMs)
    {
        digit = '\0';
        durationMs = 0;
        bool found = false;
        foreach (Range range in body.Split((byte)'\n'))
        {
            ReadOnlySpan<byte> line = Trim(body[range]);
            if (line.IsEmpty)
                continue;
            int equals = line.IndexOf((byte)'=');
            if (equals < 0)
            {
                // application/dtmf: the body is the digit.
                if (!found && line.Length == 1 && IsDigit(line[0]))
                {
                    digit = char.ToUpperInvariant((char)line[0]);
                    found = true;
                }
                continue;
            }
            ReadOnlySpan<byte> name = Trim(line.Slice(0, equals));
            ReadOnlySpan<byte> value = Trim(line.Slice(equals + 1));
            if (Ascii.EqualsIgnoreCase(name, "Signal"u8))
            {
                if (value.Length == 1 && IsDigit(value[0]))
                {
                    digit = char.ToUpperInvariant((char)value[0]);
                    found = true;
                }
                else if (value.Length is 1 or 2 && Utf8Parser.TryParse(value, out int code, out int consumed) && consumed == value.Length && code is >= 0 and <= 15)
                {
                    // Some gateways send the RFC 4733 event code: 10 is '*', 11 '#', 12-15 A-D.
                    digit = "0123456789*#ABCD"[code];
                    found = true;
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "Duration"u8) && Utf8Parser.TryParse(value, out int duration, out int used) && used == value.Length)
            {
                durationMs = Math.Clamp(duration, 0, 60_000);
            }
        }
        return found;
    }

    /// <summary>Writes an application/dtmf-relay body; returns its length.</summary>
    public static int Format(char digit, int durationMs, Span<byte> destination)
    {
        if (!IsDigit((byte)digit) || digit > 127)
            throw new ArgumentOutOfRangeException(nameof(digit), digit, "A DTMF digit is 0-9, *, # or A-D.");
        ArgumentOutOfRangeException.ThrowIfNegative(durationMs);
        int n = 0;
        "Signal="u8.CopyTo(destination);
        n += 7;
        destination[n++] = (byte)char.ToUpperInvariant(digit);
        "\r\nDuration="u8.CopyTo(destination.Slice(n));
        n += 11;
        Utf8Formatter.TryFormat(durationMs, destination.Slice(n), out int written);
        n += written;
        "\r\n"u8.CopyTo(destination.Slice(n));
        return n + 2;
    }

    private static bool IsDigit(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (byte)'*' or (byte)'#' or (>= (byte)'A' and <= (byte)'D') or (>= (byte)'a' and <= (byte)'d');

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span) => span.Trim(" \t\r"u8);
}
