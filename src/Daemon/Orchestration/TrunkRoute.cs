using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Daemon.Orchestration;

/// <summary>Where a leg goes: the trunk, the Request-URI and the caller ID to present.</summary>
public sealed record TrunkRoute(SipTrunk Trunk, string RequestUri, string CallerId, TrunkGate Gate);
