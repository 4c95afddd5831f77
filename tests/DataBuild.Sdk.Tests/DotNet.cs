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
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, _ => (string?)null);
        variables["DOTNET_NOLOGO"] = "1";
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;
        return ProcessRun.Run(program, workingDirectory, args, variables, timeout: timeout);
    }

    public static ProcessResult Succeeded(this ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static ProcessResult Failed(this ProcessResult result)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        return result;
    }

    /// <summary>The lines that are MSBuild errors with <paramref name="code"/>, each once (MSBuild repeats errors in its summary).</summary>
    public static IReadOnlyList<string> Errors(this ProcessResult result, string code) =>
        result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains($"error {code}:")).Distinct().ToArray();
}
