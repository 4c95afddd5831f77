namespace DataBuild.Execution.Slurm;

/// <summary>One job as squeue lists it: its id, name (DataBuild's job run id), state and Slurm's reason.</summary>
internal sealed record SlurmJobState(string JobId, string Name, string State, string Reason)
{
    // The states in which a job still holds (or waits for) resources: squeue lists these by default.
    private static readonly HashSet<string> Active = new(StringComparer.Ordinal)
    {
        "PENDING", "RUNNING", "SUSPENDED", "COMPLETING", "CONFIGURING", "RESIZING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED",
        "SIGNALING", "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD",
    };

    public bool IsActive => Active.Contains(State);

    public bool IsRunning => State == "RUNNING";
}

/// <summary>
/// Slurm's client programs, run through <see cref="ProcessRunner"/>: sbatch to submit, one squeue for every job
/// followed, scancel to stop. They find the cluster as Slurm's clients do (<c>SLURM_CONF</c>, /etc/slurm).
/// </summary>
internal static class SlurmCommands
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Submits; returns the job id, or throws <see cref="SlurmException"/> with sbatch's own words.</summary>
    public static async Task<string> SubmitAsync(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var result = await RunAsync("sbatch", arguments, workingDirectory, environment);
        var id = result.StandardOutput.Trim().Split(';')[0];
        if (!result.Succeeded || id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new SlurmException($"sbatch failed ({Describe(result)})");
        return id;
    }

    /// <summary>Every job of this user that Slurm still knows, finished ones included (for MinJobAge after their end).</summary>
    public static async Task<IReadOnlyDictionary<string, SlurmJobState>> ListAsync()
    {
        var result = await RunAsync("squeue", ["--noheader", "--states=all", $"--user={Environment.UserName}", "--format=%i|%j|%T|%r"], ".", null);
        if (!result.Succeeded) throw new SlurmException($"squeue failed ({Describe(result)})");
        var jobs = new Dictionary<string, SlurmJobState>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split('|', 4);
            if (fields.Length == 4) jobs[fields[0]] = new SlurmJobState(fields[0], fields[1], fields[2], fields[3]);
        }
        return jobs;
    }

    /// <summary>scancel: Slurm sends the job SIGTERM, then SIGKILL after its KillWait; with <paramref name="kill"/>, SIGKILL at once.</summary>
    public static async Task CancelAsync(string jobId, bool kill = false)
    {
        var result = await RunAsync("scancel", kill ? ["--signal=KILL", "--full", jobId] : [jobId], ".", null);
        if (!result.Succeeded && !result.StandardError.Contains("already completed", StringComparison.OrdinalIgnoreCase)
            && !result.StandardError.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            throw new SlurmException($"scancel {jobId} failed ({Describe(result)})");
    }

    private static Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment) =>
        ProcessRunner.RunAsync(new ProcessSpec([program], arguments, workingDirectory, environment, Timeout: CallTimeout), CancellationToken.None);

    private static string Describe(ProcessResult result) => result.Outcome switch
    {
        ProcessOutcome.FailedToStart => result.StandardError + "; is Slurm installed, and SLURM_CONF set?",
        ProcessOutcome.TimedOut => $"no answer within {CallTimeout.TotalSeconds:0}s",
        _ => $"exit code {result.ExitCode}: {result.StandardError.Trim()}",
    };
}

/// <summary>A Slurm client program failed; the message has its words.</summary>
public sealed class SlurmException(string message) : IOException(message);
