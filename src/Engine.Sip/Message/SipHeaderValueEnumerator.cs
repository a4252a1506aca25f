namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Walks every element of a comma-separated header (RFC 3261 §7.3.1: "field-name: a, b" is the
/// same as two lines) across all lines of that header, without allocating. Commas inside quoted
/// strings and inside &lt;...&gt; do not separate. Each element is trimmed of whitespace (folds
/// included); an empty element (as in "a,,b") is returned as an empty span so that a strict
/// caller can reject it.
/// </summary>
public ref struct SipHeaderValueEnumerator
{
    private SipHeaderLineEnumerator _lines;
    private ReadOnlySpan<byte> _rest;
    private bool _inLine;
    private ReadOnlySpan<byte> _current;

    internal SipHeaderValueEnumerator(SipHeaderLineEnumerator lines)
    {
        _lines = lines;
        _rest = default;
        _inLine = false;
        _current = default;
    }

    /// <summary>The current element, trimmed.</summary>
    public readonly ReadOnlySpan<byte> Current => _current;

    /// <summary>Returns this enumerator (for foreach).</summary>
    public readonly SipHeaderValueEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next element.</summary>
    public bool MoveNext()
    {
        while (!_inLine)
        {
            if (!_lines.MoveNext())
                return false;
            _rest = _lines.CurrentValue;
            _inLine = true;
            if (_rest.IsEmpty)
            {
                // An empty line is one empty element.
                _inLine = false;
                _current = default;
                return true;
            }
        }
        int end = FindSeparator(_rest);
        if (end < 0)
        {
            _current = SipSyntax.Trim(_rest);
            _inLine = false;
        }
        else
        {
            _current = SipSyntax.Trim(_rest.Slice(0, end));
            _rest = _rest.Slice(end + 1);
        }
        return true;
    }

    /// <summary>Index of the next separating comma, or -1.</summary>
    internal static int FindSeparator(ReadOnlySpan<byte> span)
    {
        // Most values hold a single element: without any comma there is no separator, and a
        // one-byte search answers that cheapest.
        if (!span.Contains((byte)','))
            return -1;
        int i = 0;
        while (i < span.Length)
        {
            int rel = span.Slice(i).IndexOfAny((byte)',', (byte)'"', (byte)'<');
            if (rel < 0)
                return -1;
            i += rel;
            switch (span[i])
            {
                case (byte)',':
                    return i;
                case (byte)'"':
                    int close = SipSyntax.ScanQuotedString(span, i);
                    if (close < 0)
                        return -1; // Unterminated: the rest is one (malformed) element.
                    i = close;
                    break;
                default:
                    int gt = span.Slice(i).IndexOf((byte)'>');
                    if (gt < 0)
                        return -1;
                    i += gt + 1;
                    break;
            }
        }
        return -1;
    }
}
