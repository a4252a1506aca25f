namespace Dialtone.Engine.Sip.Timing;

/// <summary>
/// Receives the expiry of a timer scheduled on a <see cref="TimingWheel"/>. A SIP transaction
/// implements this once and tells its timers apart by <paramref name="kind"/>, so scheduling a
/// timer needs no closure and allocates nothing.
/// </summary>
public interface ITimerTarget
{
    /// <summary>
    /// Called on the wheel's tick thread, outside the wheel's lock, when the timer expires.
    /// </summary>
    /// <param name="kind">The value given to <see cref="TimingWheel.Schedule"/> (e.g. Timer A or B).</param>
    /// <param name="handle">
    /// The handle that <see cref="TimingWheel.Schedule"/> returned. A target that may race a
    /// <see cref="TimingWheel.Cancel"/> with the expiry (a response arriving on a receive thread
    /// while the timer fires) compares it with the handle it holds and ignores a mismatch.
    /// </param>
    void OnTimer(int kind, TimerHandle handle);
}
