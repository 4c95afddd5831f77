using System.Diagnostics;
using System.Reflection;
using Xunit.Sdk;

namespace DataBuild.Job.Tests;

/// <summary>
/// The two example jobs that implement the same job, numbers/n={n}: the C# one built on DataBuild.Job and
/// the bash one from docs/examples. Run as real processes.
/// </summary>
internal sealed record ExampleJob(string FileName, IReadOnlyList<string> LeadingArguments)
{
    public const string CSharp = "C#";
    public const string Bash = "bash";

    public static ExampleJob Named(string name) => name switch
    {
        CSharp => new(DotnetHost, [Path.Combine(AppContext.BaseDirectory, "DataBuild.Job.Example.dll")]),
        Bash => new("bash", [Path.Combine(AppContext.BaseDirectory, "examples", "numbers-job.sh")]),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such example job"),
    };

    // The dotnet CLI tells its children which host runs them; a bare "dotnet" is the fallback outside it.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    public async Task<ProcessResult> RunAsync(IEnumerable<string> args, string stdin, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in LeadingArguments.Concat(args)) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(name => name.StartsWith("DATABUILD_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // A job may exit without reading its stdin (a usage error, say); its exit code tells the story.
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{FileName} {string.Join(' ', start.ArgumentList)} ran for over a minute");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>Runs a theory once per example job, passing its name.</summary>
internal sealed class EachExampleJobAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[ExampleJob.CSharp], [ExampleJob.Bash]];
}
