using BenchmarkDotNet.Attributes;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Refs;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Benchmarks;

/// <summary>
/// Analysing the e2e benchmarks' layered graph at 100,000 partitions (10 layers of 10,000, two inputs
/// each) from its top layer, with the job's configure answered in-process: lookup, waves, batching and
/// cycle checks, without the cost of starting configure processes.
/// </summary>
public class Analysis
{
    private const int Layers = 10;
    private const int Width = 10_000;

    private BuildEngine _engine = null!;
    private string[] _top = null!;

    [GlobalSetup]
    public void Setup()
    {
        var graph = new GraphManifest("analysis", [new JobDefinition("part", ["./job.sh"], [PartitionPattern.Parse("layer={layer}/part={part}")])]);
        _engine = new BuildEngine(graph, new BuildEventLog(new InMemoryStorage([])), new LayeredConfigurer(Width, k: 2));
        _top = Enumerable.Range(0, Width).Select(part => LayeredConfigurer.Ref(Layers - 1, part)).ToArray();
    }

    [Benchmark]
    [Items(Layers * Width, "partitions")]
    public async Task<int> Analyze() => (await _engine.AnalyzeAsync(_top, pruneAvailable: null, parallelism: 2, CancellationToken.None)).Tasks.Count;
}

/// <summary>The configure of bench/e2e/job.sh, in-process: layer=L/part=I needs layer=L-1/part=(I + j*width/k) mod width.</summary>
internal sealed class LayeredConfigurer(int width, int k) : IJobConfigurer
{
    public static string Ref(int layer, int part) => $"layer={layer}/part={part}";

    public Task<IReadOnlyList<JobConfig>> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var configs = new JobConfig[refs.Count];
        for (var i = 0; i < refs.Count; i++)
        {
            var (layer, part) = Parse(refs[i]);
            var config = new JobConfig();
            config.Outputs.Add(new PartitionRef { Str = refs[i] });
            if (layer > 0)
            {
                for (var j = 0; j < k; j++)
                    config.Inputs.Add(new DataDep { DepType = DepType.Materialize, PartitionRef = new PartitionRef { Str = Ref(layer - 1, (part + j * (width / k)) % width) } });
            }
            configs[i] = config;
        }
        return Task.FromResult<IReadOnlyList<JobConfig>>(configs);
    }

    private static (int Layer, int Part) Parse(string partitionRef)
    {
        var slash = partitionRef.IndexOf('/');
        return (int.Parse(partitionRef.AsSpan("layer=".Length, slash - "layer=".Length)), int.Parse(partitionRef.AsSpan(slash + 1 + "part=".Length)));
    }
}
