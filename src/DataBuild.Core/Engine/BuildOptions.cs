namespace DataBuild.Engine;

/// <summary>How a build runs. Defaults suit an interactive build on one machine.</summary>
public sealed record BuildOptions
{
    /// <summary>Job runs at once, across all jobs.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Rebuild the requested partitions even when available (their upstreams are not forced).</summary>
    public bool Force { get; init; }

    /// <summary>Treat STALE partitions, requested or upstream, as needing a rebuild (the default, as build tools do); false keeps them.</summary>
    public bool RebuildStale { get; init; } = true;

    /// <summary>Use this id for the build request instead of a new one (callers that track it themselves).</summary>
    public string? BuildRequestId { get; init; }

    /// <summary>The backfill this build is a chunk of (<c>databuild backfill</c>), recorded with the request; null for none.</summary>
    public string? BackfillId { get; init; }

    /// <summary>Who asked for the build, recorded with the request (a downstream graph's build names itself); empty for a person.</summary>
    public string RequestedBy { get; init; } = "";

    /// <summary>Where each job run's log goes, as <c>&lt;job_run_id&gt;.log</c>.</summary>
    public required string LogDirectory { get; init; }

    /// <summary>The first retry waits this long; each next one twice as long, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a running build renews its lease; builds on other hosts treat it as dead after 3 missed renewals.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a build waiting on another build's partitions looks at the log again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A job may report missing deps this many times for one task before the build gives up on it.</summary>
    public int MaxMissingDepsRounds { get; init; } = 5;

    /// <summary>A job run stopped by a timeout or cancellation gets SIGTERM, then SIGKILL once this has passed.</summary>
    public TimeSpan KillGrace { get; init; } = DataBuild.Execution.ProcessRunner.DefaultKillGrace;

    /// <summary>A limit shared with other builds in this process; each job run also takes one of its slots.</summary>
    public JobSlots? SharedSlots { get; init; }

    /// <summary>Runs every job on this executor, whatever the graph says (<c>--executor</c>); null for each job's own.</summary>
    public DataBuild.Graphs.ExecutorKind? Executor { get; init; }

    /// <summary>How often an executor that hands runs to another system (Slurm) asks it about them; null for its default.</summary>
    public TimeSpan? ExecutorPollInterval { get; init; }

    public TimeSpan Lease => HeartbeatInterval * 3;
}
