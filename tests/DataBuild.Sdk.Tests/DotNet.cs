using System.Diagnostics;
using System.Text;

namespace DataBuild.Sdk.Tests;

/// <summary>
/// Runs real dotnet and databuild processes. Build commands run with --disable-build-servers, so no MSBuild
/// node or compiler server outlives a test; the MSBuild variables of the test host's own build are removed, so
/// each child builds as a user's shell would.
/// </summary>
public static class DotNet
{
    public static ProcessResult Build(string workingDirectory, params string[] args) =>
        Run("dotnet", workingDirectory, ["build", "--disable-build-servers", .. args]);

    public static ProcessResult Run(string program, string workingDirectory, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToArray())
            info.Environment.Remove(name);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) info.Environment[name] = value;

        using var process = Process.Start(info)!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time:\n{output}");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, output.ToString(), $"{program} {string.Join(' ', args)}");
    }
}

public sealed record ProcessResult(int ExitCode, string Output, string Command)
{
    public override string ToString() => $"{Command}\nexit code {ExitCode}\n{Output}";

    public ProcessResult Succeeded()
    {
        Assert.True(ExitCode == 0, ToString());
        return this;
    }

    public ProcessResult Failed()
    {
        Assert.True(ExitCode != 0, ToString());
        return this;
    }

    /// <summary>The lines that are MSBuild errors with <paramref name="code"/>, each once (MSBuild repeats errors in its summary).</summary>
    public IReadOnlyList<string> Errors(string code) =>
        Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains($"error {code}:")).Distinct().ToArray();
}
