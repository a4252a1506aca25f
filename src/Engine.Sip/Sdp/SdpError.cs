namespace Dialtone.Engine.Sip.Sdp;

/// <summary>Why <see cref="SdpReader"/> refused a body. <see cref="SdpReadResult.Reason"/> words each one.</summary>
public enum SdpError
{
    /// <summary>The body was read.</summary>
    None = 0,

    /// <summary>The body holds no lines at all.</summary>
    Empty,

    /// <summary>The first line is not v= (RFC 4566 §5: a session description begins with it).</summary>
    MissingVersion,

    /// <summary>v= is not 0, the only version RFC 4566 §5.1 defines.</summary>
    UnsupportedVersion,

    /// <summary>A line is not &lt;type&gt;=&lt;value&gt; with a single letter type and no space around '=' (RFC 4566 §5).</summary>
    MalformedLine,

    /// <summary>A line holds NUL or a CR that does not end it; RFC 4566 §9 excludes both from values.</summary>
    IllegalCharacter,

    /// <summary>A line is longer than <see cref="SdpLimits.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>More lines than <see cref="SdpLimits.MaxLines"/> or than the caller's index can hold.</summary>
    TooManyLines,

    /// <summary>More m= sections than <see cref="SdpLimits.MaxMediaSections"/>.</summary>
    TooManyMediaSections,

    /// <summary>An o= line without its six fields (RFC 4566 §5.2).</summary>
    MalformedOrigin,

    /// <summary>A c= line that is not "nettype addrtype address[/ttl][/count]" (RFC 4566 §5.7).</summary>
    MalformedConnection,

    /// <summary>An m= line without media, a numeric port below 65536 and a protocol (RFC 4566 §5.14).</summary>
    MalformedMedia,
}
