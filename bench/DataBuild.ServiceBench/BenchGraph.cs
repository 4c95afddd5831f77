using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace DataBuild.ServiceBench;

/// <summary>
/// A throwaway graph folder: job <c>a</c> produces <c>a/{x}</c> at once (it writes one file); with an upstream, job
/// <c>c</c> produces <c>c/{x}</c> from <c>a/{x}</c> of that upstream instead. <see cref="Serve"/> runs
/// <c>databuild serve</c> on it, on a free loopback port.
/// </summary>
internal sealed class BenchGraph : IDisposable
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
            case "$ref" in c/*) inputs="{\"depType\":\"MATERIALIZE\",\"partitionRef\":{\"str\":\"a/${ref#c/}\"}}";; esac
            printf '{"outputs":[{"str":"%s"}],"inputs":[%s],"args":["%s"]}' "$ref" "$inputs" "$ref"
          done
          printf ']}\n';;
        exec)
          mkdir -p "data/$(dirname "$1")"
          echo "built $1" > "data/$1";;
        esac
        """;

    public BenchGraph(string? upstreamUrl = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "databuild-service-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Folder, "jobs"));
        var script = Path.Combine(Folder, "jobs", "job.sh");
        File.WriteAllText(script, Job.Replace("\r\n", "\n"));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var graph = new JsonObject
        {
            ["label"] = upstreamUrl is null ? "bench_upstream" : "bench_downstream",
            ["jobs"] = new JsonArray(new JsonObject
            {
                ["label"] = upstreamUrl is null ? "a" : "c",
                ["command"] = new JsonArray("jobs/job.sh"),
                ["outputs"] = new JsonArray(upstreamUrl is null ? "a/{x}" : "c/{x}"),
            }),
        };
        if (upstreamUrl is not null) graph["upstreams"] = new JsonArray(new JsonObject { ["url"] = upstreamUrl, ["patterns"] = new JsonArray("a/**") });
        File.WriteAllText(Path.Combine(Folder, "graph.json"), graph.ToJsonString());
    }

    public string Folder { get; }

    public string LogPath => Path.Combine(Folder, ".databuild", "bel.sqlite");

    public Service Serve(params string[] extra) => new(this, extra);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans temp folders.
        }
    }

    /// <summary>A running <c>databuild serve</c>; disposing it sends SIGTERM and waits for it to end.</summary>
    internal sealed class Service : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _output = [];

        public Service(BenchGraph graph, string[] extra)
        {
            Url = $"http://127.0.0.1:{FreePort()}";
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = graph.Folder, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in (string[])[Path.Combine(AppContext.BaseDirectory, "databuild.dll"), "serve", "--urls", Url, .. extra]) info.ArgumentList.Add(arg);
            _process = Process.Start(info)!;
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(120) };
            var started = Stopwatch.StartNew();
            while (!Answers())
            {
                if (_process.HasExited || started.Elapsed > TimeSpan.FromMinutes(5))
                    throw new InvalidOperationException($"databuild serve did not start:\n{string.Join('\n', _output)}");
                Thread.Sleep(100);
            }
            StartSeconds = started.Elapsed.TotalSeconds;
        }

        public string Url { get; }

        public HttpClient Http { get; }

        /// <summary>From process start until /healthz answered.</summary>
        public double StartSeconds { get; }

        /// <summary>What the service printed, for when a call fails.</summary>
        public string Output
        {
            get
            {
                lock (_output) return string.Join('\n', _output.TakeLast(40));
            }
        }

        private void Add(string? line)
        {
            if (line is null) return;
            lock (_output) _output.Add(line);
        }

        private bool Answers()
        {
            try
            {
                return Http.GetAsync("/readyz").GetAwaiter().GetResult().IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) term.WaitForExit();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(60))) _process.Kill(entireProcessTree: true);
            }
            Http.Dispose();
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
