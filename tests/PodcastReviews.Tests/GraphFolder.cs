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
    private readonly TempFolder _folder = new();

    public GraphFolder()
    {
        SampleGraph.WriteManifest(Folder);
        WriteDotnetShim();
    }

    public string Folder => _folder.Path;

    /// <summary>Where the jobs put partitions when <c>PODCAST_DATA_DIR</c> is unset: <c>data</c> beside the graph.</summary>
    public string DataFolder => Path.Combine(Folder, "data");

    /// <summary>The BEL and the job-run logs.</summary>
    public string StateFolder => Path.Combine(Folder, ".databuild");

    private string ShimFolder => Path.Combine(Folder, "shim");

    private string CallsLog => Path.Combine(Folder, "calls.log");

    public ProcessResult Databuild(params string[] args) =>
        ProcessRun.Run(Path.Combine(AppContext.BaseDirectory, "databuild"), Folder, args, new Dictionary<string, string?>
        {
            ["PATH"] = ShimFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            // The jobs' defaults are under test: whatever the machine has set must not leak in.
            ["PODCAST_DATA_DIR"] = null,
            ["PODCAST_SOURCE"] = null,
        }, timeout: TimeSpan.FromMinutes(2));

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

    public void Dispose() => _folder.Dispose();

    private void WriteDotnetShim()
    {
        _folder.Write(Path.Combine("shim", "dotnet"), $$"""
            #!/usr/bin/env bash
            echo "$(basename "$1" .dll) ${*:2}" >> '{{CallsLog}}'
            exec '{{RealDotnet.Value}}' "$@"

            """, executable: true);
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
