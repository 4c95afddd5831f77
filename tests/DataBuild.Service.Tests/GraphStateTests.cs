using DataBuild.Engine;
using DataBuild.Proto;

namespace DataBuild.Service.Tests;

// The service's views start from the log's snapshot, and the service writes one when it folded a long tail, so the
// next service (or command) starts from there instead of from the first event.
public sealed class GraphStateTests : IDisposable
{
    private const string Job = """
        set -euo pipefail
        verb="$1"; shift
        case "$verb" in
        configure)
          printf '{"configs":['; first=1
          for ref in "$@"; do
            [ "$first" = 1 ] || printf ','; first=0
            printf '{"outputs":[{"str":"%s"}],"inputs":[],"args":["%s"]}' "$ref" "$ref"
          done
          printf ']}\n';;
        exec)
          mkdir -p "data/$(dirname "$1")"; echo ok > "data/$1";;
        esac
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("databuild-state-").FullName;

    // In the test's folder: a relative file: URI is taken from the current folder, which every run of the tests shares.
    private string Bel => $"file:{Path.Combine(_folder, "bel.jsonl")}";

    public GraphStateTests()
    {
        File.WriteAllText(Path.Combine(_folder, "job.sh"), Job.Replace("\r\n", "\n") + "\n");
        File.WriteAllText(Path.Combine(_folder, "graph.json"), """{ "label": "state", "jobs": [ { "label": "a", "command": ["bash", "job.sh"], "outputs": ["a/{x}"] } ] }""");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_read_that_folds_a_long_tail_past_the_snapshot_writes_a_new_one_that_the_next_service_starts_from()
    {
        using (var workspace = GraphWorkspace.Open(_folder, Bel))
            Assert.Equal(BuildRequestStatus.BuildRequestCompleted, (await workspace.Engine.BuildAsync(["a/1", "a/2", "a/3"], workspace.DefaultOptions())).Status);
        long last;
        using (var state = new GraphState(GraphWorkspace.Open(_folder, Bel), 1, snapshotThreshold: 10))
        {
            Assert.Null(state.Log.Storage.Snapshots!.ReadSnapshot());

            Assert.Equal(3, state.Read(views => views.Catalog.Count));

            last = state.Read(views => views.Cursor);
            Assert.Equal(last, state.Log.Storage.Snapshots.ReadSnapshot()!.CoveredIndex);
        }
        using var next = new GraphState(GraphWorkspace.Open(_folder, Bel), 1);

        Assert.Equal(last, next.Log.Snapshot!.CoveredIndex);
        Assert.Equal(3, next.Read(views => views.Catalog.Count));
    }
}
