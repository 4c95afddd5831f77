using DataBuild.Events;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Engine;

/// <summary>
/// A file log (<c>sqlite:</c> or <c>file:</c>) that does not exist yet. Nothing is created until the first
/// append, so a command that only reads, or one that stops at bad input, leaves nothing behind: reads find
/// the log empty, or the real one as soon as another process has created it. The first append creates it,
/// in an existing folder only (except the graph's own state folder), and says so.
/// </summary>
internal sealed class MissingEventLog(string description, string path, bool mayCreateFolder, Func<IEventStorage> open, Action<string> note)
    : IEventStorage
{
    private readonly Lock _gate = new();
    private IEventStorage? _log;
    private bool _readEmpty;
    private bool _appended;

    public string Description => description;

    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null)
    {
        IEventStorage log;
        var creating = false;
        lock (_gate)
        {
            _appended = true;
            if (_log is null)
            {
                var folder = Path.GetDirectoryName(path)!;
                if (!mayCreateFolder && !Directory.Exists(folder))
                    throw new EventStorageUnavailableException($"cannot create the BEL {description}: the folder {folder} does not exist",
                        new DirectoryNotFoundException(folder));
                creating = !File.Exists(path);
                _log = open();
            }
            log = _log;
        }
        var indexes = log.Append(events, guard);
        if (creating) note($"created a new event log: {description}");
        return indexes;
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        if (Existing() is { } log) return log.List(sinceIndex, filter, limit);
        _readEmpty = true;
        return EventPaging.Create([], limit, sinceIndex, 0);
    }

    public Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Existing() is { } log ? log.WaitForEventsAsync(sinceIndex, timeout, cancellationToken) : EventPolling.WaitAsync(this, sinceIndex, timeout, cancellationToken);

    /// <summary>A log not created yet has no snapshot; once it exists, its own.</summary>
    public ISnapshotStore? Snapshots => Existing()?.Snapshots;

    /// <summary>Says, once, that what was read came from no log at all, unless the command tried to create it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_log is null && _readEmpty && !_appended) note($"there is no event log at {description} yet; 'databuild build' creates it");
            _log?.Dispose();
        }
    }

    private IEventStorage? Existing()
    {
        lock (_gate)
        {
            if (_log is null && File.Exists(path)) _log = open();
            return _log;
        }
    }
}
