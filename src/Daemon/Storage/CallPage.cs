using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Storage;

/// <summary>One page of a <see cref="CallQuery"/>, with the number of calls matching in all.</summary>
public sealed record CallPage(IReadOnlyList<CallRecord> Calls, int Total);
