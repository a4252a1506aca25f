namespace Dialtone.Engine.Sip.Dns;

/// <summary>An SRV record (RFC 2782).</summary>
internal readonly record struct SrvEntry(ushort Priority, ushort Weight, ushort Port, string Target);
