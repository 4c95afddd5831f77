namespace DataBuild.Execution.Slurm;

/// <summary>How a followed Slurm job ended: its exit code when the wrapper recorded one, else Slurm's last state.</summary>
internal sealed record SlurmEnd(int? ExitCode, SlurmJobState? State, SlurmStop Stop);

/// <summary>Why DataBuild stopped a job, if it did.</summary>
internal enum SlurmStop
{
    None,
    TimedOut,
    Cancelled,
}

/// <summary>
/// Follows every submitted job of one executor with one <c>squeue</c> per poll interval, whatever their number
/// (and a look at each run's exit file), enforces DataBuild's timeouts with scancel (Slurm checks its own
/// <c>--time</c> only every ~30 s), and stops jobs whose build is cancelled: scancel (SIGTERM, SIGKILL after Slurm's
/// KillWait), then SIGKILL from here once the kill grace is over, until Slurm reports the job ended.
/// </summary>
internal sealed class SlurmQueue(TimeSpan pollInterval, TimeSpan killGrace)
{
    // A job squeue does not list right after sbatch returned is looked for a few more times before it counts as gone.
    private const int MissingPolls = 5;

    private readonly Dictionary<string, Followed> _followed = new(StringComparer.Ordinal);
    private Task? _polling;

    /// <summary>Follows job <paramref name="jobId"/> until it ends; <paramref name="cancellationToken"/> stops it.</summary>
    public async Task<SlurmEnd> FollowAsync(string jobId, SlurmRunFiles files, string logPath, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var followed = new Followed(jobId, files, logPath, timeout);
        lock (_followed)
        {
            _followed[jobId] = followed;
            _polling ??= Task.Run(PollAsync);
        }
        await using var registration = cancellationToken.Register(() => _ = StopAsync(followed, SlurmStop.Cancelled, "the build was cancelled"));
        return await followed.End.Task;
    }

    private async Task PollAsync()
    {
        while (true)
        {
            Followed[] followed;
            lock (_followed)
            {
                if (_followed.Count == 0)
                {
                    _polling = null;
                    return;
                }
                followed = _followed.Values.ToArray();
            }
            IReadOnlyDictionary<string, SlurmJobState>? jobs = null;
            try
            {
                jobs = await SlurmCommands.ListAsync();
            }
            catch (SlurmException)
            {
                // The controller did not answer this time: the exit files still tell which jobs ended.
            }
            var now = DateTimeOffset.UtcNow;
            foreach (var job in followed) await LookAsync(job, jobs, now);
            await Task.Delay(pollInterval);
        }
    }

    private async Task LookAsync(Followed job, IReadOnlyDictionary<string, SlurmJobState>? jobs, DateTimeOffset now)
    {
        if (job.Files.ExitCode() is { } code)
        {
            Finish(job, code, jobs?.GetValueOrDefault(job.JobId));
            return;
        }
        if (jobs is null) return;
        if (!jobs.TryGetValue(job.JobId, out var state))
        {
            if (++job.Missing >= MissingPolls) Finish(job, null, null);
            return;
        }
        if (!state.IsActive)
        {
            // The wrapper renames its exit file into place before it exits: look once more now that Slurm says it ended.
            Finish(job, job.Files.ExitCode(), state);
            return;
        }
        if (state.IsRunning) job.RunningSince ??= now;
        if (job.Timeout is { } timeout && job.RunningSince + timeout <= now)
            await StopAsync(job, SlurmStop.TimedOut, $"stopping after the timeout of {timeout.TotalSeconds:0.###}s: scancel {job.JobId}");
        if (job.StopSentAt + killGrace <= now && !job.Killed)
        {
            job.Killed = true;
            SlurmRunFiles.Note(job.LogPath, $"still running {killGrace.TotalSeconds:0.###}s after scancel: SIGKILL to Slurm job {job.JobId}");
            await TryAsync(() => SlurmCommands.CancelAsync(job.JobId, kill: true));
        }
    }

    private static async Task StopAsync(Followed job, SlurmStop why, string note)
    {
        lock (job)
        {
            if (job.Stop != SlurmStop.None || job.End.Task.IsCompleted) return;
            job.Stop = why;
            job.StopSentAt = DateTimeOffset.UtcNow;
        }
        SlurmRunFiles.Note(job.LogPath, why == SlurmStop.Cancelled ? $"stopping: {note}: scancel {job.JobId}" : note);
        await TryAsync(() => SlurmCommands.CancelAsync(job.JobId));
    }

    private static async Task TryAsync(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (SlurmException)
        {
            // Tried again on the next poll while the job is still listed.
        }
    }

    private void Finish(Followed job, int? exitCode, SlurmJobState? state)
    {
        lock (_followed) _followed.Remove(job.JobId);
        job.End.TrySetResult(new SlurmEnd(exitCode, state, job.Stop));
    }

    private sealed class Followed(string jobId, SlurmRunFiles files, string logPath, TimeSpan? timeout)
    {
        public string JobId { get; } = jobId;

        public SlurmRunFiles Files { get; } = files;

        public string LogPath { get; } = logPath;

        public TimeSpan? Timeout { get; } = timeout;

        public TaskCompletionSource<SlurmEnd> End { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public DateTimeOffset? RunningSince { get; set; }

        public SlurmStop Stop { get; set; }

        public DateTimeOffset? StopSentAt { get; set; }

        public bool Killed { get; set; }

        public int Missing { get; set; }
    }
}
