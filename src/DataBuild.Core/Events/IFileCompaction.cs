namespace DataBuild.Events;

/// <summary>What <see cref="IFileCompaction.CompactFiles"/> did: data files replaced by fewer, at which version of the
/// log (-1: nothing to rewrite), and the leftovers of crashed writers deleted.</summary>
public sealed record FileCompactionReport(int FilesRemoved, int FilesAdded, long Version, int LeftoversDeleted);

/// <summary>
/// A backend whose log is many small files (a Delta Lake table: one per append) may rewrite them into few, no event,
/// index or order changed (Delta Lake's OPTIMIZE), and delete what crashed writers left: <c>databuild compact</c> on such
/// a backend (docs/event-log.md#delta-lake). A capability apart from retention (<see cref="IEventCompaction"/>): it
/// drops nothing. Null (<see cref="IEventStorage.FileCompaction"/>) for a backend kept in one file or database.
/// </summary>
public interface IFileCompaction
{
    FileCompactionReport CompactFiles();
}
