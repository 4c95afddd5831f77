using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>
/// A build session's writes to the BEL, grouped. The outcome of a finished job run may wait a moment, so it
/// is held and written in the same transaction as the session's next batch (usually the start of the next
/// runs): with SQLite's fsync per commit, that is one commit per scheduling round instead of two per job
/// run. Every other write goes after what is held, and the session flushes before it reads the log or
/// waits, so the log order stays the order in which the session decided things and nothing is held long.
/// </summary>
internal sealed class GroupCommit(BuildEventLog log)
{
    private readonly List<BuildEvent> _held = [];

    public void Hold(IEnumerable<BuildEvent> events) => _held.AddRange(events);

    public void Append(params BuildEvent[] events) => Append((IReadOnlyList<BuildEvent>)events);

    public void Append(IReadOnlyList<BuildEvent> events)
    {
        log.Append(WithHeld(events));
        _held.Clear();
    }

    /// <summary>Like <see cref="BuildEventLog.AppendUnlessBuiltSince(IReadOnlyList{BuildEvent}, IReadOnlyList{ValueTuple{IReadOnlyCollection{string}, long}})"/>; on a throw the held events are still held.</summary>
    public void AppendUnlessBuiltSince(IReadOnlyList<BuildEvent> events, IReadOnlyList<(IReadOnlyCollection<string> Partitions, long SinceIndex)> checks)
    {
        log.AppendUnlessBuiltSince(WithHeld(events), checks);
        _held.Clear();
    }

    public void Flush()
    {
        if (_held.Count > 0) Append([]);
    }

    private IReadOnlyList<BuildEvent> WithHeld(IReadOnlyList<BuildEvent> events) => _held.Count == 0 ? events : [.. _held, .. events];
}
