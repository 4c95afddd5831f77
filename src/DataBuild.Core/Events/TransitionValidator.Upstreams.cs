using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>A build's waits for partitions of upstream graphs, checked against <see cref="StateMachines.Upstream"/>.</summary>
internal sealed partial class TransitionValidator
{
    // AVAILABLE from an upstream graph counts as built for this log: the request may then record the partition AVAILABLE.
    private void ApplyUpstream(BuildEvent e)
    {
        var u = e.UpstreamEvent;
        if (u.PartitionRefs.Count == 0) throw Refuse($"event {e.EventId}", "-", Name(u.Status), "an upstream event names at least one partition");
        var request = LiveRequest(e, "upstream partition", u.PartitionRefs[0].Str);
        var url = UpstreamUrlProblem(u.UpstreamUrl);
        foreach (var partitionRef in u.PartitionRefs)
        {
            var partition = partitionRef.Str;
            var entity = $"upstream partition {partition}";
            var from = request.Upstreams.GetValueOrDefault(partition, UpstreamStatus.UpstreamUnknown);
            if (PartitionRefs.Problem(partition) is { } problem) throw Refuse(entity, Name(from), Name(u.Status), problem);
            if (url is not null) throw Refuse(entity, Name(from), Name(u.Status), url);
            if (!StateMachines.Allows(StateMachines.Upstream, from, u.Status))
                throw Refuse(entity, Name(from), Name(u.Status), $"not a valid next state in build request {e.BuildRequestId}");
            if (u.Status == UpstreamStatus.UpstreamRequested && u.UpstreamBuildRequestId.Length == 0)
                throw Refuse(entity, Name(from), Name(u.Status), "upstream_build_request_id is required");
        }
        foreach (var partitionRef in u.PartitionRefs)
        {
            if (_recording) _undo.Add(RestoreEntry(request.Upstreams, partitionRef.Str));
            request.Upstreams[partitionRef.Str] = u.Status;
            if (u.Status == UpstreamStatus.UpstreamAvailable) RecordBuilt(partitionRef.Str);
        }
    }

    private static string? UpstreamUrlProblem(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? null : $"upstream_url '{url}' is not an http(s) address";
}
