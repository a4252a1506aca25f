namespace Dialtone.Daemon.Calls;

/// <summary>What happened to a state change reported for a call.</summary>
/// <param name="Verdict">The state machine's judgement.</param>
/// <param name="Record">The call as it is now (unchanged unless <paramref name="Verdict"/> is Allowed).</param>
/// <param name="CallbackQueued">True when the change raised an event the customer subscribed to.</param>
public sealed record CallUpdateOutcome(CallTransitionVerdict Verdict, CallRecord Record, bool CallbackQueued);
