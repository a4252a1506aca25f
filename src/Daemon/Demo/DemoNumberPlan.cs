namespace Dialtone.Daemon.Demo;

/// <summary>
/// What the demo carrier does with a dialed number, decided by its last digits, so a newcomer can
/// try every outcome with curl (the README lists them):
/// <list type="bullet">
/// <item><c>…0486</c> busy (486), <c>…0603</c> declined (603), <c>…0404</c> unknown number (404), <c>…0503</c> trunk failure (503);</item>
/// <item><c>…0408</c> rings and never answers (the call's ring timeout cancels it: no-answer);</item>
/// <item><c>…77NN</c> answers, then hangs up after NN seconds (<c>…7705</c>: after 5 s);</item>
/// <item>anything else rings for a second, answers, and stays until the caller hangs up.</item>
/// </list>
/// </summary>
public static class DemoNumberPlan
{
    /// <summary>The longest an answered demo call lasts before the carrier hangs up itself.</summary>
    public static readonly TimeSpan MaxCallLength = TimeSpan.FromMinutes(10);

    public static DemoBehaviour BehaviourOf(string number)
    {
        string digits = new(number.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= 4)
        {
            string last4 = digits[^4..];
            switch (last4)
            {
                case "0486": return new DemoBehaviour(RejectWith: 486);
                case "0603": return new DemoBehaviour(RejectWith: 603);
                case "0404": return new DemoBehaviour(RejectWith: 404);
                case "0503": return new DemoBehaviour(RejectWith: 503);
                case "0408": return new DemoBehaviour(NeverAnswer: true);
            }
            if (last4.StartsWith("77", StringComparison.Ordinal))
                return new DemoBehaviour(HangUpAfter: TimeSpan.FromSeconds(int.Parse(last4[2..], System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new DemoBehaviour();
    }
}

/// <summary>One demo number's behaviour (see <see cref="DemoNumberPlan"/>).</summary>
/// <param name="RejectWith">Final error status to answer with, or 0 to answer.</param>
/// <param name="NeverAnswer">Ring until cancelled.</param>
/// <param name="HangUpAfter">Hang up this long after answering; null: stay until the caller hangs up.</param>
public sealed record DemoBehaviour(int RejectWith = 0, bool NeverAnswer = false, TimeSpan? HangUpAfter = null)
{
    /// <summary>How long the phone rings before it is answered.</summary>
    public TimeSpan RingFor { get; init; } = TimeSpan.FromSeconds(1);
}
