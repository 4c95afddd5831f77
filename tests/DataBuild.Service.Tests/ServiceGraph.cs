using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DataBuild.Service.Tests;

/// <summary>
/// A throwaway graph folder with one bash job, <c>a</c>, producing <c>a/{x}</c> (and <c>b/{x}</c>, which needs
/// <c>a/{x}</c>). Each exec appends a line to runs.log and records how many runs overlap in concurrency.log;
/// a ref whose name starts with <c>slow</c> waits until the file <c>release</c> exists (a minute at most), one
/// starting with <c>fail</c> fails. Job <c>m</c> produces <c>m/{x}</c> from <c>a/{x}</c>, which it reports missing (a
/// runtime-discovered dependency, exit 3) until <c>a/{x}</c> has been built. A downstream graph (<see cref="Downstream"/>) has job <c>c</c> instead, producing
/// <c>c/{x}</c> from <c>a/{x}</c> of an upstream graph.
/// </summary>
public sealed class ServiceGraph : IDisposable
{
    private const string Job = """
        #!/usr/bin/env bash
        set -euo pipefail
        verb="$1"; shift
        case "$verb" in
        configure)
          printf '{"configs":['; f=1
          for ref in "$@"; do
            [ "$f" = 1 ] || printf ','; f=0
            inputs=""
            case "$ref" in
              b/*) inputs="{\"depType\":\"MATERIALIZE\",\"partitionRef\":{\"str\":\"a/${ref#b/}\"}}";;
              c/*) inputs="{\"depType\":\"MATERIALIZE\",\"partitionRef\":{\"str\":\"a/${ref#c/}\"}}";;
            esac
            printf '{"outputs":[{"str":"%s"}],"inputs":[%s],"args":["%s"]}' "$ref" "$inputs" "$ref"
          done
          printf ']}\n';;
        exec)
          ref="$1"
          case "$ref" in
            m/*) [ -f "data/a/${ref#m/}" ] || { echo "DATABUILD_MISSING_DEPS_JSON: {\"missingDeps\":[{\"impacted\":[{\"str\":\"$ref\"}],\"missing\":[{\"str\":\"a/${ref#m/}\"}]}]}"; exit 3; };;
          esac
          echo "$DATABUILD_JOB_RUN_ID $ref" >> runs.log
          mkdir -p running
          touch "running/$DATABUILD_JOB_RUN_ID"
          ls running | wc -l >> concurrency.log
          echo "building $ref"
          case "$ref" in
            */fail*) echo "no data for $ref" >&2; exit 1;;
            */slow*) for i in $(seq 600); do [ -f release ] && break; sleep 0.1; done;;
            *) sleep 0.3;;
          esac
          rm -f "running/$DATABUILD_JOB_RUN_ID"
          mkdir -p "data/$(dirname "$ref")"
          echo "built $ref" > "data/$ref.tmp.$$"
          mv "data/$ref.tmp.$$" "data/$ref"
          echo "done $ref";;
        esac
        """;

    public ServiceGraph() : this(null)
    {
    }

    private ServiceGraph(JsonObject? upstream)
    {
        Folder = Path.Combine(Path.GetTempPath(), "databuild-service-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Folder, "jobs"));
        var script = Path.Combine(Folder, "jobs", "job.sh");
        File.WriteAllText(script, Job.Replace("\r\n", "\n"));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var graph = upstream is null
            ? new JsonObject
            {
                ["label"] = "service_test",
                ["jobs"] = new JsonArray(
                    new JsonObject { ["label"] = "a", ["command"] = new JsonArray("jobs/job.sh"), ["outputs"] = new JsonArray("a/{x}") },
                    new JsonObject { ["label"] = "b", ["command"] = new JsonArray("jobs/job.sh"), ["outputs"] = new JsonArray("b/{x}") },
                    new JsonObject { ["label"] = "m", ["command"] = new JsonArray("jobs/job.sh"), ["outputs"] = new JsonArray("m/{x}") }),
            }
            : new JsonObject
            {
                ["label"] = "downstream_test",
                ["jobs"] = new JsonArray(new JsonObject { ["label"] = "c", ["command"] = new JsonArray("jobs/job.sh"), ["outputs"] = new JsonArray("c/{x}") }),
                ["upstreams"] = new JsonArray(upstream),
            };
        File.WriteAllText(Path.Combine(Folder, "graph.json"), graph.ToJsonString());
    }

    /// <summary>A graph whose job <c>c</c> reads <c>a/…</c> from the service at <paramref name="upstreamUrl"/>.</summary>
    public static ServiceGraph Downstream(string upstreamUrl, string? tokenFile = null)
    {
        var upstream = new JsonObject { ["url"] = upstreamUrl, ["patterns"] = new JsonArray("a/**") };
        if (tokenFile is not null) upstream["tokenFile"] = tokenFile;
        return new ServiceGraph(upstream);
    }

    public string Folder { get; }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "databuild.dll");

    public IReadOnlyList<string> Runs() => Lines("runs.log");

    public int MaxConcurrency() => Lines("concurrency.log").Select(l => int.Parse(l.Trim(), System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();

    public bool Built(string partitionRef) => File.Exists(Path.Combine(Folder, "data", partitionRef));

    /// <summary>Lets every slow job finish.</summary>
    public void Release() => File.WriteAllText(Path.Combine(Folder, "release"), "");

    private IReadOnlyList<string> Lines(string file)
    {
        var path = Path.Combine(Folder, file);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>Runs the CLI in the graph folder to its end.</summary>
    public (int ExitCode, string Stdout, string Stderr) Cli(params string[] args) => CliIn(Folder, new Dictionary<string, string>(), args);

    /// <summary>Runs the CLI in <paramref name="folder"/> with <paramref name="environment"/> added, to its end.</summary>
    public static (int ExitCode, string Stdout, string Stderr) CliIn(string folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment) info.Environment[name] = value;
        info.ArgumentList.Add(CliDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"databuild {string.Join(' ', args)} did not finish in time");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        Release();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A job left running by a killed service may still write for a moment; the OS cleans temp folders.
        }
    }
}
