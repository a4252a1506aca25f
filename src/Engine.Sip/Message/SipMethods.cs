namespace Dialtone.Engine.Sip.Message;

/// <summary>Maps method tokens to <see cref="SipMethod"/> and back.</summary>
public static class SipMethods
{
    /// <summary>
    /// The method a token names. Method names are case-sensitive (RFC 3261 §7.1), so "invite" is
    /// an extension method, not INVITE.
    /// </summary>
    public static SipMethod Parse(ReadOnlySpan<byte> token)
    {
        switch (token.Length)
        {
            case 3:
                if (token.SequenceEqual("ACK"u8)) return SipMethod.Ack;
                if (token.SequenceEqual("BYE"u8)) return SipMethod.Bye;
                break;
            case 4:
                if (token.SequenceEqual("INFO"u8)) return SipMethod.Info;
                break;
            case 5:
                if (token.SequenceEqual("PRACK"u8)) return SipMethod.Prack;
                if (token.SequenceEqual("REFER"u8)) return SipMethod.Refer;
                break;
            case 6:
                if (token.SequenceEqual("INVITE"u8)) return SipMethod.Invite;
                if (token.SequenceEqual("CANCEL"u8)) return SipMethod.Cancel;
                if (token.SequenceEqual("UPDATE"u8)) return SipMethod.Update;
                if (token.SequenceEqual("NOTIFY"u8)) return SipMethod.Notify;
                break;
            case 7:
                if (token.SequenceEqual("OPTIONS"u8)) return SipMethod.Options;
                if (token.SequenceEqual("MESSAGE"u8)) return SipMethod.Message;
                if (token.SequenceEqual("PUBLISH"u8)) return SipMethod.Publish;
                break;
            case 8:
                if (token.SequenceEqual("REGISTER"u8)) return SipMethod.Register;
                break;
            case 9:
                if (token.SequenceEqual("SUBSCRIBE"u8)) return SipMethod.Subscribe;
                break;
        }
        return SipMethod.Extension;
    }

    /// <summary>The method's name as UTF-8, or empty for <see cref="SipMethod.Extension"/>.</summary>
    public static ReadOnlySpan<byte> GetName(SipMethod method) => method switch
    {
        SipMethod.Invite => "INVITE"u8,
        SipMethod.Ack => "ACK"u8,
        SipMethod.Bye => "BYE"u8,
        SipMethod.Cancel => "CANCEL"u8,
        SipMethod.Options => "OPTIONS"u8,
        SipMethod.Register => "REGISTER"u8,
        SipMethod.Prack => "PRACK"u8,
        SipMethod.Update => "UPDATE"u8,
        SipMethod.Info => "INFO"u8,
        SipMethod.Subscribe => "SUBSCRIBE"u8,
        SipMethod.Notify => "NOTIFY"u8,
        SipMethod.Refer => "REFER"u8,
        SipMethod.Message => "MESSAGE"u8,
        SipMethod.Publish => "PUBLISH"u8,
        _ => default,
    };
}
