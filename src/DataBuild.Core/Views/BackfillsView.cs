using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>A backfill as its events and its chunks' build requests describe it.</summary>
public sealed class BackfillInfo(string backfillId)
{
    public string BackfillId { get; } = backfillId;
    public BackfillStatus Status { get; internal set; }
    public IReadOnlyList<string> Templates { get; internal set; } = [];
    public int Partitions { get; internal set; }
    public int ChunkSize { get; internal set; }
    public bool NewestFirst { get; internal set; }
    /// <summary>Unix nanoseconds of the first start, and of the last start (a resume) and end.</summary>
    public long FirstStartedAt { get; internal set; }
    public long StartedAt { get; internal set; }
    public long EndedAt { get; internal set; }
    /// <summary>At the last end: partitions available, and failed.</summary>
    public int Built { get; internal set; }
    public int Failed { get; internal set; }
    public string Message { get; internal set; } = "";
    /// <summary>Its chunks' build requests, in the order received, over every run of it.</summary>
    public List<string> BuildRequestIds { get; } = [];
    public bool IsRunning => Status == BackfillStatus.BackfillStarted;
}

/// <summary>Reducer: every backfill (docs/cli.md#backfill), in the order first started.</summary>
public sealed class BackfillsView
{
    private readonly Dictionary<string, BackfillInfo> _backfills = new(StringComparer.Ordinal);
    private readonly List<BackfillInfo> _ordered = [];

    public IReadOnlyList<BackfillInfo> All => _ordered;

    public BackfillInfo? Get(string backfillId) => _backfills.GetValueOrDefault(backfillId);

    internal void Apply(StoredEvent stored)
    {
        var e = stored.Event;
        if (e.EventTypeCase == BuildEvent.EventTypeOneofCase.BuildRequestEvent)
        {
            if (e.BuildRequestEvent.BackfillId.Length > 0 && _backfills.TryGetValue(e.BuildRequestEvent.BackfillId, out var owner))
                owner.BuildRequestIds.Add(e.BuildRequestId);
            return;
        }
        if (e.EventTypeCase != BuildEvent.EventTypeOneofCase.BackfillEvent) return;
        var b = e.BackfillEvent;
        if (!_backfills.TryGetValue(b.BackfillId, out var backfill))
        {
            backfill = new BackfillInfo(b.BackfillId) { FirstStartedAt = e.Timestamp };
            _backfills[b.BackfillId] = backfill;
            _ordered.Add(backfill);
        }
        backfill.Status = b.Status;
        backfill.Message = b.Message;
        if (b.Status == BackfillStatus.BackfillStarted)
        {
            backfill.Templates = b.Templates.ToArray();
            backfill.Partitions = b.Partitions;
            backfill.ChunkSize = b.ChunkSize;
            backfill.NewestFirst = b.NewestFirst;
            backfill.StartedAt = e.Timestamp;
            backfill.EndedAt = 0;
            return;
        }
        backfill.EndedAt = e.Timestamp;
        backfill.Built = b.Built;
        backfill.Failed = b.Failed;
    }
}
