namespace DataBuild.Events;

/// <summary>
/// Bytes of a run's log as stored: those read from the offset asked for, the stored length, and whether the run's
/// log is complete (the build that ran it stored its last byte and said so).
/// </summary>
public sealed record StoredRunLog(byte[] Bytes, long Length, bool Complete);

/// <summary>
/// Job-run logs kept beside the events (docs/event-log.md#run-logs): a build copies each run's log file into it in
/// chunks while the run is live, so a machine that does not share the log folder reads the same bytes at the same
/// offsets. A capability a backend may lack (<see cref="IEventStorage.RunLogs"/> null): logs are then only files.
/// A chunk starts where the stored log ends; storing one again (a retried write) changes nothing.
/// </summary>
public interface IRunLogStore
{
    /// <summary>Stores <paramref name="bytes"/> at <paramref name="offset"/> of the run's log; <paramref name="complete"/> marks its end.</summary>
    void AppendChunk(string jobRunId, long offset, ReadOnlyMemory<byte> bytes, bool complete);

    /// <summary>Up to <paramref name="maxBytes"/> bytes from <paramref name="offset"/>; null when nothing of the run's log is stored.</summary>
    StoredRunLog? Read(string jobRunId, long offset, int maxBytes);
}
