using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// Plan once, run later or elsewhere (<c>databuild execute</c>, <c>POST /api/v1/execute</c>): a <see cref="JobGraph"/>
/// written earlier by analysis is run as analysed. Its configs stand in for <c>configure</c>
/// (<see cref="RecordedConfigurer"/>), so no job is configured again; planning still skips outputs already available
/// and delegates what another build is building, and the build is recorded like any other.
/// </summary>
public static class JobGraphExecution
{
    /// <summary>
    /// What changed in <paramref name="graph"/> since <paramref name="jobGraph"/> was analysed: each a sentence; empty
    /// when the job graph still fits (its graph label, its jobs, and which job each of its outputs belongs to).
    /// </summary>
    public static IReadOnlyList<string> Changes(JobGraph jobGraph, GraphManifest graph, GraphLookup lookup)
    {
        var changes = new List<string>();
        var label = jobGraph.Label?.Label ?? "";
        if (label != graph.Label) changes.Add($"the job graph was analysed for the graph '{label}', this graph is '{graph.Label}'");
        if (jobGraph.Outputs.Count == 0) changes.Add("the job graph names no outputs");
        foreach (var output in jobGraph.Outputs.Select(o => o.Str))
            if (PartitionRefs.Problem(output) is { } problem) changes.Add($"output '{output}': {problem}");
        var jobs = graph.Jobs.ToDictionary(j => j.Label, StringComparer.Ordinal);
        var producers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (node, n) in jobGraph.Nodes.Select((node, i) => (node, i + 1)))
        {
            var job = node.Job?.Label ?? "";
            if (!jobs.ContainsKey(job))
            {
                changes.Add($"task {n}: the job '{job}' is no longer in the graph (its jobs: {ListText.FirstAndMore(jobs.Keys.ToArray(), 5)})");
                continue;
            }
            if (node.Config is null || node.Config.Outputs.Count == 0)
            {
                changes.Add($"task {n} ({job}) has no config outputs");
                continue;
            }
            foreach (var output in node.Config.Outputs.Select(o => o.Str))
            {
                if (producers.TryGetValue(output, out var earlier)) changes.Add($"tasks {earlier} and {n} both produce {output}");
                producers[output] = n;
                if (PartitionRefs.Problem(output) is { } problem)
                {
                    changes.Add($"task {n} ({job}): output '{output}': {problem}");
                    continue;
                }
                try
                {
                    var now = lookup.Match(output).Job.Label;
                    if (now != job) changes.Add($"task {n}: {output} was analysed for job '{job}', the graph now gives it to job '{now}'");
                }
                catch (LookupException e)
                {
                    changes.Add($"task {n} ({job}): {e.Problems[0].Message}");
                }
            }
        }
        return changes;
    }

    /// <summary>Throws <see cref="JobGraphChangedException"/> listing <see cref="Changes"/> when there are any.</summary>
    public static void Check(JobGraph jobGraph, GraphManifest graph, GraphLookup lookup)
    {
        var changes = Changes(jobGraph, graph, lookup);
        if (changes.Count > 0) throw new JobGraphChangedException(changes);
    }

    /// <summary>
    /// The manifests of what <paramref name="result"/>'s build ran, then, for each requested output it did not build,
    /// the manifest of the run that last built it; in the order the runs completed.
    /// </summary>
    public static IReadOnlyList<PartitionManifest> Manifests(BuildEventLog log, BuildEventViews views, BuildResult result)
    {
        var runs = views.Runs.OfRequest(result.BuildRequestId).Where(r => r.Status == JobStatus.JobCompleted)
            .Select(r => r.JobRunId).ToList();
        foreach (var output in result.Requested)
            if (views.Catalog.Get(output)?.LastBuilt is { } built && !runs.Contains(built.JobRunId)) runs.Add(built.JobRunId);
        if (runs.Count == 0) return [];
        var filter = new EventFilter();
        filter.JobRunIds.AddRange(runs.Distinct(StringComparer.Ordinal));
        return log.ReadAll(log.RetainedSince, filter)
            .Where(e => e.Event.JobEvent is { Status: JobStatus.JobCompleted })
            .SelectMany(e => e.Event.JobEvent.Manifests)
            .ToArray();
    }
}

/// <summary>Answers configure from a job graph's recorded configs: no job process runs.</summary>
public sealed class RecordedConfigurer(JobGraph jobGraph) : IJobConfigurer
{
    private readonly Dictionary<string, Proto.Task> _producers = jobGraph.Nodes
        .SelectMany(node => node.Config.Outputs.Select(o => (o.Str, node)))
        .GroupBy(p => p.Str, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().node, StringComparer.Ordinal);

    public Task<IReadOnlyList<JobConfig>> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var configs = new List<JobConfig>();
        var seen = new HashSet<Proto.Task>();
        foreach (var r in refs)
        {
            if (!_producers.TryGetValue(r, out var node) || node.Job.Label != job.Label)
                throw new ConfigureFailedException(job.Label, refs,
                    $"the job graph has no task of job {job.Label} producing {r} (it was available when analysed, or a job reported it missing); analyse again");
            if (seen.Add(node)) configs.Add(node.Config.Clone());
        }
        return System.Threading.Tasks.Task.FromResult<IReadOnlyList<JobConfig>>(configs);
    }
}

/// <summary>A job graph no longer fits the graph it was analysed for; the message lists what changed.</summary>
public sealed class JobGraphChangedException(IReadOnlyList<string> changes)
    : FormatException($"the job graph no longer matches the graph, analyse again: {string.Join("; ", changes.Take(10))}{(changes.Count > 10 ? $"; and {changes.Count - 10} more" : "")}")
{
    public IReadOnlyList<string> Changes { get; } = changes;
}
