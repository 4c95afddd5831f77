namespace DataBuild.Events;

/// <summary>
/// An event the access layer refused: it is not a correct next state for its entity. Nothing of the batch
/// it came in was written.
/// </summary>
public class InvalidEventException(string entity, string current, string refused, string reason)
    : InvalidOperationException($"{entity}: cannot go from {current} to {refused}: {reason}")
{
    /// <summary>The entity the event is about, e.g. <c>job run 0190…</c>.</summary>
    public string Entity { get; } = entity;

    public string Current { get; } = current;

    public string Refused { get; } = refused;
}

/// <summary>
/// Refused because another live build request is already building the partition: the caller should
/// delegate to that request instead of building the partition a second time.
/// </summary>
public sealed class PartitionAlreadyBuildingException(string partitionRef, string current, string ownerBuildRequestId, string ownerJobRunId)
    : InvalidEventException($"partition {partitionRef}", current, "PARTITION_BUILDING",
        $"build request {ownerBuildRequestId} is already building it (job run {ownerJobRunId})")
{
    public string PartitionRef { get; } = partitionRef;

    public string OwnerBuildRequestId { get; } = ownerBuildRequestId;

    public string OwnerJobRunId { get; } = ownerJobRunId;
}
