namespace Dialtone.Daemon.Calls;

/// <summary>The progress events a customer can subscribe to with <c>statusCallbackEvent</c> (seed spec).</summary>
[Flags]
public enum CallEvent
{
    None = 0,
    Initiated = 1,
    Ringing = 2,
    Answered = 4,
    Completed = 8,
}
