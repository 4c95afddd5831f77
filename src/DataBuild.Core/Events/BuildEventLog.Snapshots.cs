using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Events;

// Snapshots (docs/event-log.md#snapshots): the validator starts from the stored snapshot's state and reads
// only the events after it. The views' parts are restored by the views (DataBuild.Views.ViewSnapshots).
public sealed partial class BuildEventLog
{
    private ViewSnapshot? _snapshot;
    private bool _snapshotRead;

    /// <summary>Raised for a problem that does not stop the log, such as a snapshot that cannot be used; the CLI prints it as a warning.</summary>
    public event Action<string>? Warning;

    /// <summary>
    /// The snapshot this log's readers start from: the stored one when it is usable (read once, on first use),
    /// or the newer one this process wrote since; null when there is none and readers fold the whole log.
    /// </summary>
    public ViewSnapshot? Snapshot
    {
        get
        {
            lock (_gate)
            {
                LoadSnapshot();
                return _snapshot;
            }
        }
    }

    /// <summary>The lowest since-index the log can be listed from: 0, or the last index a compaction dropped (docs/event-log.md#compaction).</summary>
    public long RetainedSince => Storage.Compaction?.ReadMark() is { } mark ? mark.FirstRetainedIndex - 1 : 0;

    /// <summary>Reports a problem through <see cref="Warning"/>.</summary>
    public void Warn(string message) => Warning?.Invoke(message);

    /// <summary>
    /// The validator's state and the events it skipped, at <paramref name="index"/>, written into
    /// <paramref name="snapshot"/>; false (nothing written) when the validator is not at that index.
    /// </summary>
    internal bool CaptureValidator(ViewSnapshot snapshot, SnapshotStrings strings, long index)
    {
        lock (_gate)
        {
            if (_validatedThrough != index) return false;
            snapshot.Validator = _validator.ToSnapshot(strings);
            foreach (var skipped in _skipped.Values.OrderBy(s => s.Index))
                snapshot.Skipped.Add(new SkippedEventSnapshot { Index = skipped.Index, EventId = skipped.EventId, Reason = skipped.Reason });
            return true;
        }
    }

    /// <summary>Makes <paramref name="snapshot"/>, just written, the one later readers of this process start from, when it is newer.</summary>
    internal void Adopt(ViewSnapshot snapshot)
    {
        lock (_gate)
        {
            if (snapshot.CoveredIndex > (_snapshot?.CoveredIndex ?? 0)) _snapshot = snapshot;
        }
    }

    // Under _gate. A snapshot is only ever a shortcut: any doubt about it and the log is folded instead.
    private void LoadSnapshot()
    {
        if (_snapshotRead) return;
        _snapshotRead = true;
        if (Storage.Snapshots is not { } store) return;
        StoredSnapshot? stored;
        try
        {
            stored = store.ReadSnapshot();
        }
        catch (Exception e) when (IsStorageFailure(e) || e is InvalidDataException)
        {
            NoSnapshot($"could not read the view snapshot of {Storage.Description} ({e.Message.TrimEnd('.')})");
            return;
        }
        if (stored is null)
        {
            NoSnapshot(null);
            return;
        }
        var validator = new TransitionValidator();
        if (Unusable(stored, validator, out var snapshot) is { } why)
        {
            NoSnapshot($"ignoring the view snapshot of {Storage.Description} at event {stored.CoveredIndex}: {why}");
            return;
        }
        if (_validatedThrough < snapshot.CoveredIndex)
        {
            _validator = validator;
            _validatedThrough = snapshot.CoveredIndex;
            foreach (var item in snapshot.Skipped)
            {
                var skipped = new SkippedEvent(item.Index, item.EventId, item.Reason);
                if (_skipped.TryAdd(item.Index, skipped)) EventSkipped?.Invoke(skipped);
            }
        }
        _snapshot = snapshot;
    }

    // Under _gate. Without a snapshot a log is folded from its first event, which a compacted log no longer has.
    private void NoSnapshot(string? problem)
    {
        if (Storage.Compaction?.ReadMark() is { } mark)
            throw new InvalidDataException($"the BEL {Storage.Description} was compacted up to event {mark.FirstRetainedIndex - 1} (those events were {mark.Fate}) " +
                $"and {problem ?? "it has no view snapshot"}: it cannot be read without one. Restore the snapshot, or make a whole log again from the archive and the live log's events");
        if (problem is not null) Warn(problem + "; reading the whole log instead");
    }

    private string? Unusable(StoredSnapshot stored, TransitionValidator validator, out ViewSnapshot snapshot)
    {
        snapshot = null!;
        if (stored.ViewSchemaVersion != ViewSchema.CurrentVersion)
            return $"it has view-schema version {stored.ViewSchemaVersion} and this DataBuild reads version {ViewSchema.CurrentVersion}";
        try
        {
            snapshot = ViewSnapshot.Parser.ParseFrom(stored.Payload);
            if (snapshot.ViewSchemaVersion != stored.ViewSchemaVersion || snapshot.CoveredIndex != stored.CoveredIndex || snapshot.CoveredIndex <= 0)
                return "it is damaged (its content does not match its header)";
            validator.Restore(snapshot.Validator ?? new ValidatorSnapshot(), SnapshotStrings.ForReading(snapshot.Strings));
            foreach (var kept in snapshot.Replayed) validator.Replay(kept.Event);
        }
        // A kept event its rules refuse now can only be a damaged snapshot: it was accepted when appended.
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidDataException or InvalidEventException)
        {
            return $"it is damaged ({e.Message.TrimEnd('.')})";
        }
        var page = List(snapshot.CoveredIndex - 1, new EventFilter(), 1);
        if (page.Events.Count == 0 || page.Events[0].Index != snapshot.CoveredIndex || page.Events[0].Event.EventId != snapshot.CoveredEventId)
            return $"it does not match this log (its event {snapshot.CoveredIndex} is not the one the snapshot covers)";
        return null;
    }
}
