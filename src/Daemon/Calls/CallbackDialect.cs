namespace Dialtone.Daemon.Calls;

/// <summary>Which spelling of status callbacks a call's customer expects (DESIGN.md §2).</summary>
public enum CallbackDialect
{
    /// <summary>The seed spec's: CallStatus is the event name, Direction is <c>Outbound</c>.</summary>
    Seed,

    /// <summary>Twilio's (calls made through the /2010-04-01 routes): CallStatus <c>in-progress</c> etc., signed.</summary>
    Twilio,
}
