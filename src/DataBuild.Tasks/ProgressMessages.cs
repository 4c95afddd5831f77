namespace DataBuild.Tasks;

/// <summary>The MSBuild message for each kind of progress event; failures are errors instead (<see cref="RunDataBuild"/>).</summary>
internal static class ProgressMessages
{
    public static string? Describe(ProgressEvent e)
    {
        var counts = $"[done {e.Done}, failed {e.Failed}, remaining {e.Remaining}]";
        var run = e.JobRunId.Length > 0 ? $" (run {e.JobRunId})" : "";
        return e.Kind switch
        {
            "Planned" or "Recovered" => $"DataBuild: {e.Message}",
            "JobStarted" => $"DataBuild: started {e.Job} {e.PartitionSummary}{run}",
            "JobSucceeded" => $"DataBuild: built {e.Job} {e.PartitionSummary}{run}, {e.Message} {counts}",
            "JobRetrying" => $"DataBuild: retrying {e.Job} {e.PartitionSummary}{run}: {e.Message}; log: {e.LogPath}",
            "JobMissingDeps" => $"DataBuild: {e.Job} {e.PartitionSummary}{run} {e.Message}; building them first",
            "JobCancelled" => $"DataBuild: cancelled {e.Job} {e.PartitionSummary}{run}",
            "Delegated" => $"DataBuild: {e.Job}: {e.Message}",
            "DelegationFinished" => $"DataBuild: {e.Job} {e.PartitionSummary} {e.Message} {counts}",
            _ => null,
        };
    }
}
