using DataBuild.Backfills;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Core.Tests.Backfills;

/// <summary>Backfills over a bash job that takes a moment per partition and notes each partition it built.</summary>
public sealed class BackfillTests : IDisposable
{
    private const string Script = """
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
          ref="$1"
          sleep 0.1
          case "$ref" in */2020-02-1[05]) [ -f healed ] || { echo "no data for $ref" >&2; exit 1; };; esac
          mkdir -p "data/$(dirname "$ref")"; echo ok > "data/$ref"; echo "$ref" >> built.log;;
        esac
        """;

    private readonly TempFolder _folder = new();
    private readonly GraphWorkspace _workspace;

    public BackfillTests()
    {
        _folder.Write("job.sh", Script.Replace("\r\n", "\n") + "\n");
        _folder.Write("graph.json", """{ "label": "backfills", "jobs": [ { "label": "day", "command": ["bash", "job.sh"], "outputs": ["day/{date}"] } ] }""");
        EventStorage.Open(GraphWorkspace.DefaultBelUri, _folder.Path).Dispose();
        _workspace = GraphWorkspace.Open(_folder.Path);
    }

    public void Dispose()
    {
        _workspace.Dispose();
        _folder.Dispose();
    }

    private BuildOptions Options => _workspace.DefaultOptions() with { Parallelism = 3 };

    private List<string> Built() => File.Exists(Path.Combine(_folder.Path, "built.log")) ? [.. File.ReadAllLines(Path.Combine(_folder.Path, "built.log"))] : [];

    private static readonly string[] Sixty = ["day/{2020-01-01..2020-02-29}"];

    private sealed class CancelAfter(int succeeded, CancellationTokenSource cancel) : IProgress<BuildProgress>
    {
        private int _seen;

        public void Report(BuildProgress value)
        {
            if (value.Kind == BuildProgressKind.JobSucceeded && Interlocked.Increment(ref _seen) == succeeded) cancel.Cancel();
        }
    }

    [Fact]
    public async Task A_backfill_of_60_partitions_interrupted_and_resumed_builds_each_exactly_once()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "healed"), "");
        var request = new BackfillRequest(Sixty, ChunkSize: 7, NewestFirst: false);
        using var cancel = new CancellationTokenSource();

        var stopped = await BackfillRunner.RunAsync(_workspace.Engine, request, Options, buildProgress: new CancelAfter(25, cancel), cancellationToken: cancel.Token);

        Assert.Equal(BackfillStatus.BackfillCancelled, stopped.Status);
        var builtBefore = Built();
        Assert.InRange(builtBefore.Count, 25, 59);
        // Oldest first: what was built is a prefix of the days, give or take the chunk that was running.
        Assert.All(builtBefore, r => Assert.True(string.CompareOrdinal(r, "day/2020-01-29") < 0, r));

        var availableBefore = builtBefore.Count(r => _workspace.Views().Catalog.IsAvailable(r, _workspace.Engine.JobIdentities));

        var resumed = await BackfillRunner.RunAsync(_workspace.Engine, request, Options);

        Assert.Equal(BackfillStatus.BackfillCompleted, resumed.Status);
        Assert.Equal(stopped.BackfillId, resumed.BackfillId);
        Assert.Equal(60, resumed.Partitions);
        Assert.Equal(availableBefore, resumed.SkippedAvailable);
        var built = Built();
        Assert.Equal(60, built.Distinct().Count());
        // A job that had finished writing when the stop reached it is recorded cancelled and built again; no other is.
        var cancelled = _workspace.Log.ReadAll().Where(e => e.Event.JobEvent is { Status: JobStatus.JobCancelled })
            .Select(e => e.Event.JobEvent.TargetPartitions[0].Str).ToHashSet();
        Assert.All(built.GroupBy(r => r).Where(g => g.Count() > 1), g => Assert.Contains(g.Key, cancelled));
        Assert.InRange(built.Count, 60, 60 + cancelled.Count);
        var completed = _workspace.Log.ReadAll().Where(e => e.Event.JobEvent is { Status: JobStatus.JobCompleted })
            .Select(e => e.Event.JobEvent.TargetPartitions[0].Str).ToList();
        Assert.Equal(60, completed.Distinct().Count());
        Assert.Equal(completed.Count, completed.Distinct().Count());
        var views = _workspace.Views();
        Assert.Equal(
            [BackfillStatus.BackfillStarted, BackfillStatus.BackfillCancelled, BackfillStatus.BackfillStarted, BackfillStatus.BackfillCompleted],
            _workspace.Log.ReadAll().Where(e => e.Event.BackfillEvent is not null).Select(e => e.Event.BackfillEvent.Status));
        var backfill = views.Backfills.Get(resumed.BackfillId)!;
        Assert.Equal(stopped.BuildRequestIds.Concat(resumed.BuildRequestIds), backfill.BuildRequestIds);
        Assert.All(backfill.BuildRequestIds, id => Assert.Equal(resumed.BackfillId, views.Requests.Get(id)!.BackfillId));
    }

    [Fact]
    public async Task Failures_are_summarised_with_their_job_runs_and_the_other_chunks_still_run()
    {
        var result = await BackfillRunner.RunAsync(_workspace.Engine, new BackfillRequest(["day/{2020-02-01..2020-02-20}"], 4, NewestFirst: true), Options);

        Assert.Equal(BackfillStatus.BackfillFailed, result.Status);
        Assert.Equal(18, result.Built);
        Assert.Equal(["day/2020-02-15", "day/2020-02-10"], result.Failures.Select(f => f.Partition));
        var views = _workspace.Views();
        Assert.All(result.Failures, f =>
        {
            Assert.Equal(JobStatus.JobFailed, views.Runs.Get(f.JobRunId)!.Status);
            Assert.Contains("no data for", f.Message);
        });
        Assert.Equal(["day/2020-02-17", "day/2020-02-18", "day/2020-02-19", "day/2020-02-20"], Built().Take(4).Order());
        Assert.Equal(5, result.BuildRequestIds.Count);
    }

    [Fact]
    public void Ranges_order_the_partitions_oldest_or_newest_first_whatever_the_sets_around_them()
    {
        Assert.Equal(["c=a/d=1", "c=b/d=1", "c=a/d=2", "c=b/d=2"], BackfillRunner.Order(["c={a,b}/d={1..2}"], newestFirst: false));
        Assert.Equal(["c=a/d=2", "c=b/d=2", "c=a/d=1", "c=b/d=1"], BackfillRunner.Order(["c={a,b}/d={1..2}"], newestFirst: true));
    }

    [Fact]
    public async Task Bad_input_is_refused_before_anything_is_recorded()
    {
        await Assert.ThrowsAsync<DataBuild.Graphs.LookupException>(() => BackfillRunner.RunAsync(_workspace.Engine, new BackfillRequest(["nojob/{1..3}"], 2, false), Options));
        await Assert.ThrowsAsync<DataBuild.Refs.InvalidRefTemplateException>(() => BackfillRunner.RunAsync(_workspace.Engine, new BackfillRequest(["day/{3..1}"], 2, false), Options));
        Assert.Empty(_workspace.Log.ReadAll());
    }
}
