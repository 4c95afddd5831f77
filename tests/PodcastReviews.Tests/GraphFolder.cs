using System.Diagnostics;
using System.Text;

namespace PodcastReviews.Tests;

/// <summary>
/// A throwaway folder holding the sample graph's graph.json, where the real <c>databuild</c> CLI runs as a
/// process. A shim named <c>dotnet</c> goes first on the CLI's PATH: it notes every job call in calls.log and
/// hands over to the real dotnet, so tests can count configure and exec calls while the graph stays exactly
/// as the SDK will write it. The CLI runs through its own executable rather than <c>dotnet databuild.dll</c>:
/// .NET looks for a bare program name beside the running executable before PATH, and beside a dotnet-hosted
/// CLI it would find the real dotnet.
/// </summary>
public sealed class GraphFolder : IDisposable
{
    public GraphFolder()
    {
        Folder = Path.Combine(Path.GetTempPath(), "podcast-reviews-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        SampleGraph.WriteManifest(Folder);
        WriteDotnetShim();
    }

    public string Folder { get; }

    /// <summary>Where the jobs put partitions when <c>PODCAST_DATA_DIR</c> is unset: <c>data</c> beside the graph.</summary>
    public string DataFolder => Path.Combine(Folder, "data");

    /// <summary>The BEL and the job-run logs.</summary>
    public string StateFolder => Path.Combine(Folder, ".databuild");

    private string ShimFolder => Path.Combine(Folder, "shim");

    private string CallsLog => Path.Combine(Folder, "calls.log");

    public CliResult Databuild(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "databuild"))
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["PATH"] = ShimFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        // The jobs' defaults are under test: whatever the machine has set must not leak in.
        info.Environment.Remove("PODCAST_DATA_DIR");
        info.Environment.Remove("PODCAST_SOURCE");
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"databuild {string.Join(' ', args)} did not finish in two minutes");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Every job process started so far, in start order.</summary>
    public IReadOnlyList<JobCall> Calls() => File.Exists(CallsLog)
        ? File.ReadAllLines(CallsLog).Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(words => new JobCall(words[0], words[1], words[2..])).ToList()
        : [];

    public void ForgetCalls() => File.Delete(CallsLog);

    /// <summary>Every file under the data folder, by path relative to it.</summary>
    public SortedDictionary<string, byte[]> DataFiles()
    {
        var root = DataFolder;
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            files[Path.GetRelativePath(root, path)] = File.ReadAllBytes(path);
        return files;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A job killed by a failing test may hold a file a moment longer; the OS cleans temp folders.
        }
    }

    private void WriteDotnetShim()
    {
        Directory.CreateDirectory(ShimFolder);
        var shim = Path.Combine(ShimFolder, "dotnet");
        File.WriteAllText(shim, $$"""
            #!/usr/bin/env bash
            echo "$(basename "$1" .dll) ${*:2}" >> '{{CallsLog}}'
            exec '{{RealDotnet.Value}}' "$@"

            """.Replace("\r\n", "\n"));
        File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    // The dotnet running these tests; the SDK sets DOTNET_HOST_PATH for the processes it starts.
    private static readonly Lazy<string> RealDotnet = new(() =>
        new[] { Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"), Environment.ProcessPath }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(folder => Path.Combine(folder, "dotnet")))
            .FirstOrDefault(path => path is not null && Path.GetFileName(path) == "dotnet" && File.Exists(path))
        ?? throw new InvalidOperationException("cannot find the dotnet executable running the tests"));
}

/// <summary>One job process: its project (the dll's name), its verb, and the refs it was given (configure only).</summary>
public sealed record JobCall(string Project, string Verb, IReadOnlyList<string> Refs);

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => new StringBuilder()
        .AppendLine($"exit code {ExitCode}")
        .AppendLine("--- stdout").AppendLine(Stdout)
        .AppendLine("--- stderr").AppendLine(Stderr).ToString();
}
