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

    public Task<ProcessResult> RunAsync(IEnumerable<string> args, string stdin, IReadOnlyDictionary<string, string> environment)
    {
        // Only the variables a graph sets: none the test host happens to have.
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("DATABUILD_", StringComparison.Ordinal))
            .ToDictionary(name => name, _ => (string?)null);
        foreach (var (name, value) in environment) variables[name] = value;
        return ProcessRun.RunAsync(FileName, Environment.CurrentDirectory, [.. LeadingArguments, .. args], variables, stdin, TimeSpan.FromMinutes(1));
    }
}

/// <summary>Runs a theory once per example job, passing its name.</summary>
internal sealed class EachExampleJobAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[ExampleJob.CSharp], [ExampleJob.Bash]];
}
