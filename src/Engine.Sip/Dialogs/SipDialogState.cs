namespace Dialtone.Engine.Sip.Dialogs;

/// <summary>The states of a dialog (RFC 3261 §12).</summary>
public enum SipDialogState : byte
{
    /// <summary>Created by a provisional response with a To tag (§12.1).</summary>
    Early,

    /// <summary>Created or confirmed by a 2xx (§12.1).</summary>
    Confirmed,

    /// <summary>Ended by BYE, by a non-2xx final response (early dialogs), or by a fatal in-dialog failure.</summary>
    Terminated,
}
