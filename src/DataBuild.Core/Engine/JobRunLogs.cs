using DataBuild.Events;

namespace DataBuild.Engine;

/// <summary>Bytes of a run's log from an offset, the log's length as far as it is written, and where they were read.</summary>
public sealed record RunLogSlice(byte[] Bytes, long Length, bool FromEventLog);

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

    /// <summary>
    /// Up to <paramref name="limit"/> bytes of the run's log from <paramref name="offset"/>: from its file in
    /// <paramref name="logDirectory"/> when the file is there, else from the copy <paramref name="store"/> keeps
    /// (another machine's run); the same bytes at the same offsets either way. Null when neither has it.
    /// </summary>
    public static RunLogSlice? Read(string logDirectory, IRunLogStore? store, string jobRunId, long offset, int limit)
    {
        var path = PathOf(logDirectory, jobRunId);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return store?.Read(jobRunId, offset, limit) is { } stored ? new RunLogSlice(stored.Bytes, stored.Length, FromEventLog: true) : null;
        }
        using (file)
        {
            var length = file.Length;
            if (offset >= length) return new RunLogSlice([], length, FromEventLog: false);
            file.Position = offset;
            var buffer = new byte[(int)Math.Min(limit, length - offset)];
            var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return new RunLogSlice(read == buffer.Length ? buffer : buffer[..read], length, FromEventLog: false);
        }
    }
}
