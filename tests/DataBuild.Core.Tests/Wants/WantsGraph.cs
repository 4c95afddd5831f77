using DataBuild.Events.Storage;
using DataBuild.Events;
using DataBuild.Engine;

namespace DataBuild.Core.Tests.Wants;

/// <summary>
/// A graph of bash jobs in a temp folder, opened with a <see cref="FakeClock"/>. One script serves every job:
/// <c>ok/N</c> builds; <c>fail/N</c> fails saying "boom" (until <see cref="Heal"/>); at run time <c>a/N</c> reports <c>b/N</c> missing,
/// <c>b/N</c> reports <c>c/N</c>, <c>x/N</c> reports <c>fail/N</c>; <c>m/N</c> declares <c>a/N</c> as an input
/// at configure. Each exec appends its ref to runs.log.
/// </summary>
internal sealed class WantsGraph : IDisposable
{
    private const string Script = """
        set -euo pipefail
        verb="$1"; shift
        case "$verb" in
        configure)
          printf '{"configs":['; first=1
          for ref in "$@"; do
            [ "$first" = 1 ] || printf ','; first=0
            case "$ref" in m/*) inputs="{\"depType\":\"MATERIALIZE\",\"partitionRef\":{\"str\":\"a/${ref#m/}\"}}";; *) inputs="";; esac
            printf '{"outputs":[{"str":"%s"}],"inputs":[%s],"args":["%s"]}' "$ref" "$inputs" "$ref"
          done
          printf ']}\n';;
        exec)
          ref="$1"
          echo "$ref" >> runs.log
          case "$ref" in fail/*) [ -f healed ] || { echo "boom" >&2; exit 1; };; esac
          case "$ref" in a/*) need="b/${ref#a/}";; b/*) need="c/${ref#b/}";; x/*) need="fail/${ref#x/}";; *) need="";; esac
          if [ -n "$need" ] && [ ! -f "data/$need" ]; then
            echo "DATABUILD_MISSING_DEPS_JSON: {\"missingDeps\":[{\"impacted\":[{\"str\":\"$ref\"}],\"missing\":[{\"str\":\"$need\"}]}]}"
            exit 1
          fi
          mkdir -p "data/$(dirname "$ref")"; echo ok > "data/$ref";;
        esac
        """;

    public WantsGraph()
    {
        Folder = Path.Combine(Path.GetTempPath(), "databuild-wants-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "job.sh"), Script.Replace("\r\n", "\n") + "\n");
        var jobs = new[] { "ok", "fail", "a", "b", "c", "x", "m" }.Select(label =>
            $$"""{ "label": "{{label}}", "command": ["bash", "job.sh"], "outputs": ["{{label}}/{n}"], "retries": {{(label == "fail" ? 1 : 0)}} }""");
        File.WriteAllText(Path.Combine(Folder, "graph.json"), $$"""{ "label": "wants", "jobs": [{{string.Join(",", jobs)}}] }""");
        // The log exists before the first want: creating it takes a moment of the real time the SLA tests measure.
        EventStorage.Open(GraphWorkspace.DefaultBelUri, Folder).Dispose();
        Workspace = GraphWorkspace.Open(Folder, clock: Clock);
    }

    public string Folder { get; }

    public FakeClock Clock { get; } = new();

    public GraphWorkspace Workspace { get; }

    public BuildOptions Options => Workspace.DefaultOptions() with { Parallelism = 2, RetryDelay = TimeSpan.FromMilliseconds(10) };

    /// <summary>From now on <c>fail/N</c> builds.</summary>
    public void Heal() => File.WriteAllText(Path.Combine(Folder, "healed"), "");

    /// <summary>The refs every job run was for, in the order they ran.</summary>
    public IReadOnlyList<string> Runs()
    {
        var log = Path.Combine(Folder, "runs.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }

    public void Dispose()
    {
        Workspace.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
