using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>Backfills and schedules, checked against <see cref="StateMachines.Backfill"/> and <see cref="StateMachines.Schedule"/>.</summary>
internal sealed partial class TransitionValidator
{
    private readonly Dictionary<string, BackfillStatus> _backfills = new(StringComparer.Ordinal);
    // Per name, the schedule's status and id; and every schedule id ever added, with whether it was removed.
    private readonly Dictionary<string, (ScheduleStatus Status, string ScheduleId)> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _scheduleRemoved = new(StringComparer.Ordinal);

    /// <summary>
    /// Applies a backfill, schedule or upstream event a snapshot kept whole (Views/SnapshotReplay), after
    /// <see cref="Restore"/>. Backfills and schedules go through their own rules again, which they passed when
    /// appended; an upstream wait only sets its request's state, as the request may have ended since.
    /// </summary>
    public void Replay(BuildEvent e)
    {
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.BackfillEvent:
                ApplyBackfill(e.BackfillEvent);
                break;
            case BuildEvent.EventTypeOneofCase.ScheduleEvent:
                ApplySchedule(e.ScheduleEvent);
                break;
            case BuildEvent.EventTypeOneofCase.UpstreamEvent when _requests.TryGetValue(e.BuildRequestId, out var request):
                foreach (var partition in e.UpstreamEvent.PartitionRefs) request.Upstreams[partition.Str] = e.UpstreamEvent.Status;
                break;
        }
    }

    private void ApplyBackfill(BackfillEvent b)
    {
        if (string.IsNullOrEmpty(b.BackfillId)) throw Refuse("backfill", "-", Name(b.Status), "backfill_id is required");
        var entity = $"backfill {b.BackfillId}";
        var from = _backfills.GetValueOrDefault(b.BackfillId, BackfillStatus.BackfillUnknown);
        if (!StateMachines.Allows(StateMachines.Backfill, from, b.Status))
            throw Refuse(entity, Name(from), Name(b.Status), "not a valid next state");
        if (b.Status == BackfillStatus.BackfillStarted)
        {
            if (b.Templates.Count == 0) throw Refuse(entity, Name(from), Name(b.Status), "a backfill names at least one ref template");
            foreach (var template in b.Templates)
            {
                try
                {
                    RefTemplate.Parse(template);
                }
                catch (InvalidRefTemplateException e)
                {
                    throw Refuse(entity, Name(from), Name(b.Status), e.Message);
                }
            }
            if (WantIds.Backfill(b.Templates) != b.BackfillId)
                throw Refuse(entity, Name(from), Name(b.Status), "backfill_id is not the one its templates give (WantIds.Backfill)");
            if (b.ChunkSize < 1 || b.Partitions < 1) throw Refuse(entity, Name(from), Name(b.Status), "partitions and chunk_size must be at least 1");
        }
        if (_recording) _undo.Add(RestoreEntry(_backfills, b.BackfillId));
        _backfills[b.BackfillId] = b.Status;
    }

    private void CheckBackfillChunk(string buildRequestId, string backfillId)
    {
        if (_backfills.GetValueOrDefault(backfillId) != BackfillStatus.BackfillStarted)
            throw Refuse($"build request {buildRequestId}", "-", "BUILD_REQUEST_RECEIVED", $"backfill {backfillId} is not running (started and not ended)");
    }

    private void ApplySchedule(ScheduleEvent s)
    {
        var entity = $"schedule {s.Name}";
        if (ScheduleSpec.NameProblem(s.Name) is { } name) throw Refuse("schedule", "-", Name(s.Status), name);
        if (!Guid.TryParse(s.ScheduleId, out _)) throw Refuse(entity, "-", Name(s.Status), "schedule_id must be a UUID");
        var (from, current) = _schedules.GetValueOrDefault(s.Name, (ScheduleStatus.ScheduleUnknown, ""));
        if (!StateMachines.Allows(StateMachines.Schedule, from, s.Status))
            throw Refuse(entity, Name(from), Name(s.Status), "not a valid next state");
        if (s.Status == ScheduleStatus.ScheduleAdded)
        {
            if (_scheduleRemoved.ContainsKey(s.ScheduleId)) throw Refuse(entity, Name(from), Name(s.Status), $"schedule_id {s.ScheduleId} was used before");
            try
            {
                ScheduleSpec.Parse(s);
            }
            catch (FormatException e)
            {
                throw Refuse(entity, Name(from), Name(s.Status), e.Message);
            }
        }
        else if (s.ScheduleId != current)
        {
            throw Refuse(entity, Name(from), Name(s.Status), $"the schedule named {s.Name} is {current}, not {s.ScheduleId}");
        }
        if (_recording)
        {
            _undo.Add(RestoreEntry(_schedules, s.Name));
            _undo.Add(RestoreEntry(_scheduleRemoved, s.ScheduleId));
        }
        _schedules[s.Name] = (s.Status, s.ScheduleId);
        _scheduleRemoved[s.ScheduleId] = s.Status == ScheduleStatus.ScheduleRemoved;
    }

    // A tick's want: its schedule exists and is not removed, and its id is the tick's, so each tick has one want.
    private void CheckScheduledWant(WantEvent w, string entity)
    {
        if (!_scheduleRemoved.TryGetValue(w.ScheduleId, out var removed) || removed)
            throw Refuse(entity, "WANT_UNKNOWN", "WANT_CREATED", $"schedule {w.ScheduleId} does not exist or was removed");
        if (w.WantId != WantIds.Tick(w.ScheduleId, w.ScheduledTime))
            throw Refuse(entity, "WANT_UNKNOWN", "WANT_CREATED", "a scheduled want's id is the one its schedule and tick give (WantIds.Tick)");
    }
}
