namespace DataBuild.Events;

/// <summary>
/// Refused because a job run made the partition AVAILABLE after the index at which the caller last read the
/// log: the caller's decision to build it is out of date. Nothing of the batch was written.
/// </summary>
public sealed class PartitionBuiltSinceException(string partitionRef, long builtAtIndex, long sinceIndex)
    : InvalidOperationException($"partition {partitionRef} was built at log index {builtAtIndex}, after index {sinceIndex}")
{
    public string PartitionRef { get; } = partitionRef;

    public long BuiltAtIndex { get; } = builtAtIndex;
}
