using System.Globalization;
using System.Text;
using DataBuild.Events;
using DataBuild.Proto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DataBuild.Service.Http;

/// <summary><c>/healthz</c> (the process answers), <c>/readyz</c> (the log is open and readable) and <c>/metrics</c> (Prometheus text).</summary>
internal static class OpsEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", (GraphState graph) =>
        {
            try
            {
                graph.Log.Storage.List(graph.Log.RetainedSince, new EventFilter(), 1);
                return Results.Text("ready\n");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Results.Text($"the log {graph.Workspace.BelUri} cannot be read: {e.Message}\n", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        });
        endpoints.MapGet("/metrics", (GraphState graph, BuildRunner builds, ServiceMetrics metrics) =>
            Results.Text(Render(graph, builds, metrics), "text/plain; version=0.0.4"));
    }

    private static string Render(GraphState graph, BuildRunner builds, ServiceMetrics metrics)
    {
        var (runsByStatus, lastIndex) = graph.Read(views =>
        {
            var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var status in Enum.GetValues<JobStatus>().Where(s => s != JobStatus.JobUnknown)) counts[ProtoNames.Of(status)] = 0;
            foreach (var run in views.Runs.All) counts[ProtoNames.Of(run.Status)] = counts.GetValueOrDefault(ProtoNames.Of(run.Status)) + 1;
            return (counts, views.Cursor);
        });
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");
            foreach (var (labels, value) in samples) text.Append(CultureInfo.InvariantCulture, $"{name}{labels} {value}\n");
        }
        Metric("databuild_job_runs", "gauge", "Job runs in the log, by their current status.",
            runsByStatus.Select(s => ($"{{status=\"{s.Key}\"}}", (double)s.Value)));
        Metric("databuild_running_job_runs", "gauge", "Job runs this service is running now.", [("", graph.Slots.InUse)]);
        Metric("databuild_job_slots", "gauge", "Job runs this service may run at once (--parallelism).", [("", graph.Slots.Capacity)]);
        Metric("databuild_queue_length", "gauge", "Build requests this service has accepted that have not ended.", [("", builds.Running)]);
        Metric("databuild_builds_submitted_total", "counter", "Build requests submitted to this service since it started.", [("", metrics.BuildsSubmitted)]);
        Metric("databuild_events_appended", "gauge", "Index of the last event in the log: events appended, by every writer.", [("", lastIndex)]);
        Metric("databuild_long_polls_waiting", "gauge", "Event calls waiting for a matching event now.", [("", metrics.ActiveLongPolls)]);
        var (count, seconds) = metrics.Polls;
        Metric("databuild_poll_latency_seconds", "summary", "Time from receiving an events call to answering it.",
            [("_sum", seconds), ("_count", count)]);
        return text.ToString();
    }
}
