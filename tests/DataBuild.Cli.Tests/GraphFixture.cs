using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>
/// A throwaway graph folder: bash job scripts, a graph.json, and the real `databuild` CLI run as a process
/// against it. Jobs append one line per exec to runs.log and per configure to configure.log, so tests can
/// count what really ran.
/// </summary>
public sealed class GraphFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public string Folder => _folder.Path;

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "databuild.dll");

    /// <summary>
    /// Writes a bash job. <paramref name="depsFunction"/> is the body of a bash function `deps REF` printing
    /// the refs REF needs (MATERIALIZE), one per word; <paramref name="execBody"/> optionally replaces the
    /// default exec, which checks its inputs exist and writes data/REF atomically.
    /// </summary>
    public string WriteJob(string name, string depsFunction = "true", string? execBody = null, string? configureBody = null)
    {
        var script = $$"""
            #!/usr/bin/env bash
            set -euo pipefail
            deps() { local ref="$1"; {{depsFunction}}; }
            verb="$1"; shift
            case "$verb" in
            configure)
              echo "{{name}} $*" >> configure.log
              {{configureBody ?? DefaultConfigure}}
              ;;
            exec)
              ref="${1:-}"
              echo "$DATABUILD_JOB_RUN_ID {{name}} $ref" >> runs.log
              {{execBody ?? DefaultExec}}
              ;;
            *) echo "unknown verb $verb" >&2; exit 2;;
            esac
            """;
        _folder.Write($"jobs/{name}.sh", script, executable: true);
        return $"jobs/{name}.sh";
    }

    private const string DefaultConfigure = """
        printf '{"configs":['
              first=1
              for ref in "$@"; do
                [ "$first" = 1 ] || printf ','
                first=0
                printf '{"outputs":[{"str":"%s"}],"inputs":[' "$ref"
                f=1
                for d in $(deps "$ref"); do
                  [ "$f" = 1 ] || printf ','
                  f=0
                  printf '{"depType":"MATERIALIZE","partitionRef":{"str":"%s"}}' "$d"
                done
                printf '],"args":["%s"]}' "$ref"
              done
              printf ']}\n'
        """;

    private const string DefaultExec = """
        for d in $(deps "$ref"); do
                [ -f "data/$d" ] || { echo "input $d is missing" >&2; exit 1; }
              done
              mkdir -p "data/$(dirname "$ref")"
              echo "built $ref" > "data/$ref.tmp.$$"
              mv "data/$ref.tmp.$$" "data/$ref"
        """;

    /// <summary>Writes graph.json with jobs given as (label, command, outputs, extra properties).</summary>
    public void WriteGraph(params (string Label, string[] Command, string[] Outputs, JsonObject? Extra)[] jobs)
    {
        var array = new JsonArray();
        foreach (var (label, command, outputs, extra) in jobs)
        {
            var job = new JsonObject
            {
                ["label"] = label,
                ["command"] = new JsonArray(command.Select(c => (JsonNode?)c).ToArray()),
                ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode?)o).ToArray()),
            };
            foreach (var (key, value) in extra ?? []) job[key] = value?.DeepClone();
            array.Add(job);
        }
        var graph = new JsonObject { ["label"] = "test_graph", ["jobs"] = array };
        File.WriteAllText(Path.Combine(Folder, "graph.json"), graph.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public IReadOnlyList<string> Runs() => Lines("runs.log");

    public IReadOnlyList<string> Configures() => Lines("configure.log");

    public bool Built(string partitionRef) => File.Exists(Path.Combine(Folder, "data", partitionRef));

    private IReadOnlyList<string> Lines(string file)
    {
        var path = Path.Combine(Folder, file);
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>Starts the CLI in the graph folder without waiting.</summary>
    public Process Start(params string[] args) => Start(null, args);

    public ProcessResult RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ProcessRun.Run("dotnet", Folder, [CliDll, .. args], environment.ToDictionary(e => e.Key, e => (string?)e.Value), timeout: TimeSpan.FromMinutes(2));

    public Process StartWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) => Start(environment, args);

    private Process Start(IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        info.ArgumentList.Add(CliDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        return Process.Start(info)!;
    }

    /// <summary>Runs the CLI to the end.</summary>
    public ProcessResult Run(params string[] args) => ProcessRun.Run("dotnet", Folder, [CliDll, .. args], timeout: TimeSpan.FromMinutes(2));

    /// <summary>Collects a CLI started with <see cref="Start(string[])"/>, which a test steers while it runs (signals, a second CLI beside it).</summary>
    public static ProcessResult Collect(Process process, TimeSpan? timeout = null)
    {
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("databuild did not finish in time");
        }
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, stdout.Result + stderr.Result, $"databuild {string.Join(' ', process.StartInfo.ArgumentList.Skip(1))}");
    }

    public JsonNode Json(params string[] args)
    {
        var result = Run([.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!;
    }

    /// <summary>The status of each partition, as `status --json` reports it.</summary>
    public Dictionary<string, string> Statuses()
    {
        var statuses = new Dictionary<string, string>();
        foreach (var item in Json("status").AsArray()) statuses[item!["partitionRef"]!.GetValue<string>()] = item["status"]!.GetValue<string>();
        return statuses;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a minute at most.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"waited too long for {what}");
            Thread.Sleep(50);
        }
    }

    public void Dispose() => _folder.Dispose();
}
