using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Wants;

namespace DataBuild.Reports;

/// <summary>The messages of databuild.proto for what a command did: a reconcile pass, a check of the log.</summary>
public static class ReportMessages
{
    public static ReconcilePassReport Reconcile(ReconcilePass pass)
    {
        var report = new ReconcilePassReport
        {
            Pass = pass.Number,
            ActiveWants = pass.ActiveWants,
            BuildRequestId = pass.Build?.BuildRequestId ?? "",
            BuildStatus = pass.Build?.Status ?? BuildRequestStatus.BuildRequestUnknown,
            JobRuns = pass.Build?.JobRuns ?? 0,
            BuildError = pass.BuildError,
        };
        foreach (var (job, refs) in pass.BuildsByJob) report.BuildsByJob[job] = new PartitionList { Partitions = { refs } };
        foreach (var (partition, why) in pass.Unbuildable) report.Unbuildable[partition] = why;
        foreach (var (partition, retry) in pass.Deferred)
            report.Deferred[partition] = new DeferredPartition { FailedBuilds = retry.FailedBuilds, RetryAt = DetailMessages.Nanos(retry.RetryAt) };
        foreach (var (status, count) in pass.Recorded) report.Recorded[ProtoNames.Of(status)] = count;
        return report;
    }

    public static LogVerification Verification(string belUri, LogCheck check)
    {
        var report = new LogVerification { Bel = belUri, Events = check.Events };
        report.Invalid.AddRange(check.Skipped.Select(s => new InvalidEvent { Index = s.Index, EventId = s.EventId, Reason = s.Reason }));
        return report;
    }
}
