using BenchmarkDotNet.Running;
using DataBuild.Benchmarks;

// BenchmarkDotNet's own arguments (--filter, --list, ...) pass through; --results FILE also merges the
// figures into FILE for bench/report.py. --retained prints what the views keep after a fold (Retained.cs) instead,
// --allocations what each view allocates per event (Allocations.cs).
if (args is ["--retained"]) return Retained.Run();
if (args is ["--allocations"]) return Allocations.Run();
var results = Array.IndexOf(args, "--results");
string? resultsPath = null;
if (results >= 0)
{
    if (results + 1 >= args.Length)
    {
        Console.Error.WriteLine("--results needs a file name");
        return 2;
    }
    resultsPath = args[results + 1];
    args = [.. args[..results], .. args[(results + 2)..]];
}

var loadBefore = ResultsFile.LoadAverage();
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, BenchConfig.Create()).ToArray();
if (resultsPath is not null) ResultsFile.Merge(resultsPath, summaries, loadBefore);
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
