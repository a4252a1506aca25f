namespace Dialtone.Engine.Sip.Message;

/// <summary>Character classes of the SIP grammar (RFC 3261 §25.1), one bit each.</summary>
[Flags]
internal enum SipCharClass : ushort
{
    /// <summary>No class.</summary>
    None = 0,
    /// <summary>RFC 3261 §25.1 token.</summary>
    Token = 1 << 0,
    /// <summary>SP, HTAB and the CR/LF of a fold.</summary>
    Whitespace = 1 << 1,
    /// <summary>DIGIT.</summary>
    Digit = 1 << 2,
    /// <summary>HEXDIG.</summary>
    Hex = 1 << 3,
    /// <summary>hostname and IPv4 characters (alphanum, '-', '.').</summary>
    Hostname = 1 << 4,
    /// <summary>user = unreserved / escaped / user-unreserved.</summary>
    User = 1 << 5,
    /// <summary>password = unreserved / escaped / & = + $ ,.</summary>
    Password = 1 << 6,
    /// <summary>paramchar = param-unreserved / unreserved / escaped.</summary>
    UriParam = 1 << 7,
    /// <summary>hname / hvalue characters plus '=' and '&'.</summary>
    UriHeader = 1 << 8,
    /// <summary>generic-param value outside quotes: token plus IPv6 ':' '[' ']'.</summary>
    ParamValue = 1 << 9,
    /// <summary>scheme = ALPHA *( ALPHA / DIGIT / + / - / . ).</summary>
    Scheme = 1 << 10,
    /// <summary>RFC 3966 digits, visual separators and '+'.</summary>
    Tel = 1 << 11,
}
