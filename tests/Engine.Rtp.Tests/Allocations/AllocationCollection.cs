namespace Dialtone.Engine.Rtp.Tests.Allocations;

/// <summary>
/// Allocation tests run alone: the process-wide counter they read must not see other tests' allocations.
/// </summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;
