namespace Dialtone.Engine.Dtmf;

/// <summary>
/// The DTMF digits and their RFC 4733 event codes (§3.2: 0-9 are codes 0-9, * is 10, # is 11, A-D are
/// 12-15), and validation of digit strings with the seed spec's pauses: <c>w</c> waits 0.5 s and
/// <c>W</c> waits 1 s.
/// </summary>
public static class DtmfDigits
{
    /// <summary>What a digit string may contain, for error messages.</summary>
    public const string AllowedCharacters = "0-9 * # A-D, w (0.5 s pause), W (1 s pause)";

    /// <summary>The digit for each event code 0-15.</summary>
    private const string DigitsByCode = "0123456789*#ABCD";

    /// <summary>True for 0-9, *, #, A-D (upper or lower case).</summary>
    public static bool IsDigit(char c) => TryGetEventCode(c, out _);

    /// <summary>True for the pause characters <c>w</c> and <c>W</c>.</summary>
    public static bool IsPause(char c) => c is 'w' or 'W';

    /// <summary>The RFC 4733 event code of a digit; a-d are taken as A-D.</summary>
    public static bool TryGetEventCode(char digit, out byte eventCode)
    {
        switch (digit)
        {
            case >= '0' and <= '9':
                eventCode = (byte)(digit - '0');
                return true;
            case '*':
                eventCode = 10;
                return true;
            case '#':
                eventCode = 11;
                return true;
            case >= 'A' and <= 'D':
                eventCode = (byte)(12 + (digit - 'A'));
                return true;
            case >= 'a' and <= 'd':
                eventCode = (byte)(12 + (digit - 'a'));
                return true;
            default:
                eventCode = 0;
                return false;
        }
    }

    /// <summary>The digit of an RFC 4733 DTMF event code (0-15).</summary>
    public static bool TryGetDigit(byte eventCode, out char digit)
    {
        if (eventCode < DigitsByCode.Length)
        {
            digit = DigitsByCode[eventCode];
            return true;
        }

        digit = '\0';
        return false;
    }

    /// <summary>Checks a digit string; <paramref name="invalidIndex"/> is the first bad character's position, -1 if none.</summary>
    public static bool TryValidate(ReadOnlySpan<char> digits, out int invalidIndex)
    {
        for (int i = 0; i < digits.Length; i++)
        {
            if (!IsDigit(digits[i]) && !IsPause(digits[i]))
            {
                invalidIndex = i;
                return false;
            }
        }

        invalidIndex = -1;
        return true;
    }

    /// <summary>Throws a clear <see cref="ArgumentException"/> unless <paramref name="digits"/> is a valid, non-empty digit string.</summary>
    public static void Validate(string? digits, string parameterName = "digits")
    {
        if (string.IsNullOrEmpty(digits))
        {
            throw new ArgumentException($"The digit string is empty; it may contain {AllowedCharacters}.", parameterName);
        }

        if (!TryValidate(digits, out int index))
        {
            throw new ArgumentException(
                $"The digit string has '{digits[index]}' at position {index + 1}; it may contain only {AllowedCharacters}.",
                parameterName);
        }
    }
}
