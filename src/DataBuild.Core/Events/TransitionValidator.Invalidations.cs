using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>Invalidations (<c>databuild invalidate</c>): valid refs, outside any build request; they change no state machine.</summary>
internal sealed partial class TransitionValidator
{
    private static void ApplyInvalidation(BuildEvent e)
    {
        var i = e.InvalidationEvent;
        var entity = $"event {e.EventId}";
        if (e.BuildRequestId.Length > 0) throw Refuse(entity, "-", "invalidation", "an invalidation belongs to no build request; leave build_request_id empty");
        if (i.PartitionRefs.Count == 0) throw Refuse(entity, "-", "invalidation", "an invalidation names at least one partition");
        foreach (var partitionRef in i.PartitionRefs)
            if (PartitionRefs.Problem(partitionRef.Str) is { } problem) throw Refuse($"partition {partitionRef.Str}", "-", "invalidation", problem);
    }
}
