using System.Text;

namespace DataBuild.Execution.Slurm;

/// <summary>
/// The files of one job run on Slurm, in the log folder (which the cluster's nodes share with the build):
/// <c>slurm/&lt;run id&gt;/config.json</c> (the job's stdin), <c>exit</c> (its exit code, written atomically by the
/// wrapper once the job and its output are done), <c>slurm.out</c> (what the wrapper itself printed), and the run's
/// log <c>&lt;run id&gt;.log</c>, which the wrapper appends the job's stdout and tagged stderr to as they come.
/// </summary>
internal sealed class SlurmRunFiles(string logDirectory, string runId)
{
    /// <summary>
    /// The batch script sbatch submits: <c>wrapper.sh FOLDER LOG PROGRAM ARGS…</c>. The environment comes with the
    /// submission (<c>--export=ALL</c>); the script gives the job its config on stdin, its output to the log (stderr
    /// lines tagged as a local run's are), and records the exit code in a file renamed into place.
    /// </summary>
    public const string Wrapper = """
        #!/bin/bash
        # DataBuild's wrapper for one job run on Slurm (docs/executors.md).
        folder=$1
        log=$2
        shift 2
        "$@" <"$folder/config.json" >>"$log" 2> >(sed -u 's/^/[stderr] /' >>"$log")
        code=$?
        wait $!
        printf '%s\n' "$code" >"$folder/exit.tmp" && mv -f "$folder/exit.tmp" "$folder/exit"
        exit "$code"

        """;

    public string Folder { get; } = Path.Combine(Path.GetFullPath(logDirectory), "slurm", runId);

    public string ExitFile => Path.Combine(Folder, "exit");

    public string OutputFile => Path.Combine(Folder, "slurm.out");

    public string ConfigFile => Path.Combine(Folder, "config.json");

    /// <summary>The wrapper, written once per log folder (atomically, so a concurrent build never submits half of it).</summary>
    public static string WriteWrapper(string logDirectory)
    {
        var path = Path.Combine(Path.GetFullPath(logDirectory), "slurm", "wrapper.sh");
        if (File.Exists(path) && File.ReadAllText(path) == Wrapper) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, Wrapper);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public void WriteConfig(string configJson)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(ConfigFile, configJson, new UTF8Encoding(false));
    }

    /// <summary>The job's exit code, once the wrapper recorded it.</summary>
    public int? ExitCode()
    {
        try
        {
            return File.Exists(ExitFile) && int.TryParse(File.ReadAllText(ExitFile).Trim(), out var code) ? code : null;
        }
        catch (IOException)
        {
            // Not readable this time (a shared filesystem's hiccup): looked at again on the next poll.
            return null;
        }
    }

    /// <summary>The last lines the wrapper itself printed (Slurm's own complaints), for a message.</summary>
    public string WrapperOutput() => File.Exists(OutputFile) ? JobContract.Excerpt(File.ReadAllText(OutputFile).Trim()) : "";

    /// <summary>
    /// What a local run's capture would hold, read back from the log: the tails of stdout and stderr and the
    /// stdout lines carrying <paramref name="markerPrefix"/> (within <paramref name="markerLimit"/> characters).
    /// </summary>
    public static (string Stdout, string Stderr, IReadOnlyList<string> Marked) ReadLog(string logPath, int tailLimit, string markerPrefix, int markerLimit)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var marked = new List<string>();
        var markedChars = 0;
        if (!File.Exists(logPath)) return ("", "", marked);
        foreach (var line in File.ReadLines(logPath))
        {
            if (line.StartsWith("[databuild] ", StringComparison.Ordinal)) continue;
            if (line.StartsWith("[stderr] ", StringComparison.Ordinal))
            {
                Keep(stderr, line["[stderr] ".Length..], tailLimit);
                continue;
            }
            Keep(stdout, line, tailLimit);
            if (line.StartsWith(markerPrefix, StringComparison.Ordinal) && markedChars <= markerLimit)
            {
                var kept = line[..Math.Min(line.Length, markerLimit + 1 - markedChars)];
                marked.Add(kept);
                markedChars += kept.Length;
            }
        }
        return (Tail(stdout, tailLimit), Tail(stderr, tailLimit), marked);
    }

    /// <summary>Adds a line of DataBuild's own to the run's log.</summary>
    public static void Note(string logPath, string message)
    {
        try
        {
            using var stream = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(Encoding.UTF8.GetBytes($"[databuild] {message}\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A note is for people reading the log; the run's outcome does not depend on it.
        }
    }

    private static void Keep(StringBuilder tail, string line, int limit)
    {
        tail.Append(line).Append('\n');
        if (tail.Length > 2 * limit) tail.Remove(0, tail.Length - limit);
    }

    private static string Tail(StringBuilder tail, int limit) => tail.Length > limit ? tail.ToString(tail.Length - limit, limit) : tail.ToString();
}
