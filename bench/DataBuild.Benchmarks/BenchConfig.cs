using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace DataBuild.Benchmarks;

/// <summary>
/// One short job run in this process: the benchmarks need large fixtures (a million events, a hundred
/// thousand partitions) that would otherwise be rebuilt in every launched process, and a generated
/// project would inherit the repository's warnings-as-errors build settings.
/// </summary>
internal static class BenchConfig
{
    public static IConfig Create() => ManualConfig.Create(DefaultConfig.Instance)
        .AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("InProcess"))
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddColumn(new ThroughputColumn());
}
