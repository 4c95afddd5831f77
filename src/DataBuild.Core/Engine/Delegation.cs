using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>
/// Waiting on other builds (docs/architecture.md#the-flow): a task whose outputs another live build request is building is
/// delegated, recorded and waited on instead of built twice; when that build ends, the task is done (built
/// there) or pending again (the other build failed or was lost).
/// </summary>
internal sealed class Delegation(BuildContext build)
{
    /// <summary>Delegates <paramref name="task"/> to the builds now building its outputs.</summary>
    public void Delegate(AnalyzedTask task)
    {
        var entry = build.Board[task];
        build.RefreshViews();
        var events = new List<BuildEvent>();
        foreach (var output in task.Outputs)
        {
            var state = build.Views.Catalog.Get(output);
            if (state is not { Status: PartitionStatus.PartitionBuilding } || state.BuildRequestId == build.Id) continue;
            entry.DelegatedPartitions.Add(output);
            if (build.Recorder.Delegate(output, state) is { } delegation) events.Add(delegation);
        }
        if (events.Count > 0) build.Writes.Append(events);
        build.Board.Set(task, TaskState.Delegated);
        build.Progress.Report(BuildProgressKind.Delegated, task, p =>
        {
            p.Partitions.Clear();
            p.Partitions.AddRange(entry.DelegatedPartitions);
        });
    }

    /// <summary>Looks again at every delegated task: recovers lost builds first, so their partitions count as not building.</summary>
    public void Check()
    {
        build.Writes.Flush();
        LostWork.Recover(build.Log, build.Views, build.Id, build.Options.Lease);
        var board = build.Board;
        foreach (var task in board.Waiting.Where(t => board[t].State == TaskState.Delegated).ToArray())
        {
            var entry = board[task];
            var states = entry.DelegatedPartitions.Select(p => build.Views.Catalog.Get(p)).ToArray();
            if (states.Any(s => s?.Status == PartitionStatus.PartitionBuilding && s.BuildRequestId != build.Id)) continue;
            entry.DelegatedPartitions.Clear();
            if (task.Outputs.All(o => build.Views.Catalog.IsAvailable(o, build.Engine.JobIdentities)))
            {
                FinishBuiltElsewhere(task, "built by the build delegated to");
            }
            else
            {
                // The other build failed or was lost: build it here.
                entry.JudgedAt = build.Views.Cursor;
                board.Set(task, TaskState.Pending);
            }
        }
    }

    /// <summary>Records the task's outputs available, built by another build, and the task done.</summary>
    public void FinishBuiltElsewhere(AnalyzedTask task, string why)
    {
        build.Writes.Append(task.Outputs.Select(o => build.Recorder.SetPartition(o, PartitionStatus.PartitionAvailable, message: why)).ToList());
        build.Board.Set(task, TaskState.Done);
        build.Progress.Report(BuildProgressKind.DelegationFinished, task);
    }
}
