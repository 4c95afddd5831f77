namespace DataBuild.Engine;

/// <summary>
/// Where a job run's log lives: <c>&lt;job_run_id&gt;.log</c> in the graph's log folder, derived from the id
/// alone. A path recorded in the log is never opened: a log edited by hand could name any file.
/// </summary>
public static class JobRunLogs
{
    /// <summary>True for an id DataBuild gives a job run: a UUID in its usual 36-character form.</summary>
    public static bool IsWellFormedId(string jobRunId) => Guid.TryParseExact(jobRunId, "D", out _);

    /// <summary>The log of <paramref name="jobRunId"/> in <paramref name="logDirectory"/>; a <see cref="FormatException"/> naming the id when it is not well-formed.</summary>
    public static string PathOf(string logDirectory, string jobRunId)
    {
        if (!IsWellFormedId(jobRunId))
        {
            var shown = string.Concat(jobRunId.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
            throw new FormatException($"job run id '{shown}' is not a well-formed id (a UUID such as 0190c3a2-5f7e-7000-8000-000000000000), so it has no log");
        }
        return Path.Combine(Path.GetFullPath(logDirectory), jobRunId + ".log");
    }
}
