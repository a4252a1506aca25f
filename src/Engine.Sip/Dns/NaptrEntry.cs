namespace Dialtone.Engine.Sip.Dns;

/// <summary>A NAPTR record's fields that RFC 3263 §4.1 uses (RFC 3403 §4.1).</summary>
internal readonly record struct NaptrEntry(ushort Order, ushort Preference, string Flags, string Services, string Regexp, string Replacement);
