using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Upstreams;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// Builds partitions of one graph on one BEL (docs/architecture.md#the-flow): lookup, analyze, plan, execute. Surfaces (CLI,
/// MSBuild tasks, the service) call <see cref="BuildAsync"/> and show its progress; the logic lives here.
/// </summary>
/// <param name="upstreams">How builds reach the graph's upstream graphs; a graph without any needs none.</param>
public sealed class BuildEngine(GraphManifest graph, BuildEventLog log, IJobConfigurer? configurer = null, IUpstreamGraphs? upstreams = null)
{
    private readonly GraphLookup _lookup = new(graph);

    public GraphManifest Graph { get; } = graph;

    public BuildEventLog Log { get; } = log;

    public GraphLookup Lookup => _lookup;

    public IJobConfigurer Configurer { get; } = configurer ?? new ProcessJobConfigurer(graph);

    public IUpstreamGraphs? Upstreams { get; } = upstreams;

    /// <summary>
    /// Each job's version and code key now, against which the catalog judges partitions STALE; a job whose manifest
    /// has no codeKey (a hand-written one) gets the key of the files its command names, computed here, at load.
    /// </summary>
    public IReadOnlyDictionary<string, JobIdentity> JobIdentities { get; } = graph.Jobs.ToDictionary(j => j.Label,
        j => new JobIdentity(j.Version, j.CodeKey.Length > 0 ? j.CodeKey : CodeKeys.OfCommand(graph.Folder, j.Command)), StringComparer.Ordinal);

    /// <summary>
    /// The one rule of what a build skips: <paramref name="partitionRef"/> is AVAILABLE (or STALE, kept unless
    /// <paramref name="rebuildStale"/>), when its job declares locations its location exists, and, when
    /// <paramref name="presence"/> has a catalog, no recorded upstream of it (transitively) has an empty location.
    /// </summary>
    public bool IsUpToDate(PartitionCatalog catalog, string partitionRef, bool rebuildStale, OutputPresence presence)
    {
        var state = catalog.Get(partitionRef, JobIdentities);
        // An invalidated partition is rebuilt even when stale ones are kept: someone asked for exactly that.
        var kept = state?.Status == PartitionStatus.PartitionAvailable
            || (state?.Status == PartitionStatus.PartitionStale && !rebuildStale && !state.Invalidated);
        return kept && presence.Missing(partitionRef) is null && presence.MissingUpstream(partitionRef) is null;
    }

    /// <summary>
    /// A new presence check of this graph's outputs, for one build or one listing; given <paramref name="catalog"/>, it
    /// checks the recorded upstreams of the partitions it is asked about too (<see cref="OutputPresence.MissingUpstream"/>).
    /// </summary>
    public OutputPresence NewPresenceCheck(PartitionCatalog? catalog = null) => new(Graph, _lookup, catalog);

    /// <summary>
    /// Checks <paramref name="refs"/> before anything is recorded and returns the refs they stand for: ranges and
    /// sets expanded (<see cref="RefExpansion"/>), each ref once, each a valid ref that exactly one job produces
    /// or an upstream graph's patterns match.
    /// Throws <see cref="InvalidRefTemplateException"/>, <see cref="InvalidPartitionRefException"/> or <see cref="LookupException"/>.
    /// </summary>
    public IReadOnlyList<string> ValidateRequest(IReadOnlyList<string> refs)
    {
        if (refs.Count == 0) throw new ArgumentException("no partitions requested: name at least one partition ref");
        var expanded = RefExpansion.ExpandAll(refs);
        _lookup.Lookup(expanded.Where(r => Graph.UpstreamOf(r) is null));
        return expanded;
    }

    /// <summary>
    /// Builds <paramref name="refs"/> (ranges and sets expanded). Bad input throws before anything is recorded; a failure found during
    /// analysis (a configure failure, a cycle, an upstream no job produces) is recorded as a failed build
    /// request and thrown; a job failure makes a failed <see cref="BuildResult"/>.
    /// </summary>
    public Task<BuildResult> BuildAsync(IReadOnlyList<string> refs, BuildOptions options, IProgress<BuildProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        return new BuildSession(this, ValidateRequest(refs), options, progress).RunAsync(cancellationToken);
    }

    /// <summary>
    /// Builds <paramref name="jobGraph"/>'s outputs with its tasks as analysed (<see cref="JobGraphExecution"/>): no
    /// configure runs; outputs already available are skipped. Throws <see cref="JobGraphChangedException"/>, before
    /// anything is recorded, when the job graph no longer fits this graph.
    /// </summary>
    public Task<BuildResult> ExecuteAsync(JobGraph jobGraph, BuildOptions options, IProgress<BuildProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        JobGraphExecution.Check(jobGraph, Graph, _lookup);
        var recorded = new BuildEngine(Graph, Log, new RecordedConfigurer(jobGraph));
        return recorded.BuildAsync(jobGraph.Outputs.Select(o => o.Str).ToArray(), options, progress, cancellationToken);
    }

    /// <summary>Analyses <paramref name="refs"/> without building: the whole graph, or only what is missing when <paramref name="pruneAvailable"/>.</summary>
    public async Task<GraphAnalysis> AnalyzeAsync(IReadOnlyList<string> refs, Func<string, bool>? pruneAvailable, int parallelism, CancellationToken cancellationToken)
    {
        var distinct = ValidateRequest(refs);
        var analysis = new GraphAnalysis(Graph, _lookup, Configurer, pruneAvailable ?? (_ => false), parallelism);
        analysis.Requested.AddRange(distinct);
        await analysis.AddAsync(distinct.Where(r => pruneAvailable is null || !pruneAvailable(r)), cancellationToken);
        return analysis;
    }
}
