using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Engine.Sip.Tests.Timing;

internal readonly record struct FiredTimer(int Kind, TimeSpan At, TimerHandle Handle);
