using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using DataBuild.Execution;

namespace DataBuild.Benchmarks;

/// <summary>
/// The graph's cost of one job run, the job itself doing nothing (<c>/bin/true</c>): DataBuild's runner
/// (a process group of its own, stdin fed, both streams read and logged, the group killed after exit) beside
/// a bare <see cref="Process"/> start and wait, the floor any runner on .NET stands on.
/// </summary>
public class JobRun
{
    private const int Runs = 100;

    private string _folder = null!;
    private ProcessSpec _spec = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("databuild-jobrun").FullName;
        _spec = new ProcessSpec(["/bin/true"], [], _folder, StandardInput: "{}", LogPath: Path.Combine(_folder, "run.log"));
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    [Items(Runs, "runs")]
    public async Task<int> ProcessRunner()
    {
        var failures = 0;
        for (var i = 0; i < Runs; i++)
            if (!(await Execution.ProcessRunner.RunAsync(_spec, CancellationToken.None)).Succeeded) failures++;
        return failures;
    }

    [Benchmark(Baseline = true)]
    [Items(Runs, "runs")]
    public async Task<int> BareProcess()
    {
        var failures = 0;
        for (var i = 0; i < Runs; i++)
        {
            using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false, WorkingDirectory = _folder })!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) failures++;
        }
        return failures;
    }
}
