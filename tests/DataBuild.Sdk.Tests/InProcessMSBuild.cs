using System.Runtime.CompilerServices;
using Microsoft.Build.Evaluation;
using Microsoft.Build.Execution;
using Microsoft.Build.Framework;
using Microsoft.Build.Locator;

namespace DataBuild.Sdk.Tests;

/// <summary>An MSBuild error or warning as MSBuild raised it: its code, and the file and line it points at.</summary>
public sealed record Diagnostic(string Code, string File, int Line, string Message)
{
    public override string ToString() => $"{File}({Line}): {Code}: {Message}";
}

/// <summary>How an in-process build ended, with the diagnostics it raised (each once).</summary>
public sealed class InProcessBuild(bool succeeded, IReadOnlyList<Diagnostic> errors, IReadOnlyList<Diagnostic> warnings)
{
    public bool Success { get; } = succeeded;

    public IReadOnlyList<Diagnostic> Errors { get; } = errors;

    public IReadOnlyList<Diagnostic> Warnings { get; } = warnings;

    public IReadOnlyList<Diagnostic> ErrorsOf(string code) => Errors.Where(e => e.Code == code).ToArray();

    public IReadOnlyList<Diagnostic> WarningsOf(string code) => Warnings.Where(w => w.Code == code).ToArray();

    public InProcessBuild Failed()
    {
        Assert.False(Success, $"the build succeeded:\n{this}");
        return this;
    }

    public InProcessBuild Succeeded()
    {
        Assert.True(Success, $"the build failed:\n{this}");
        return this;
    }

    public override string ToString() => string.Join('\n', Errors.Select(e => $"error {e}").Concat(Warnings.Select(w => $"warning {w}")));
}

/// <summary>
/// Restores and builds a project inside the test process on the installed SDK's MSBuild (found by
/// Microsoft.Build.Locator, as a tool hosting MSBuild would), so a test asserts on the structured errors MSBuild
/// raised (code, file, line) rather than on console text. One build at a time: MSBuild's build manager is one per process.
/// </summary>
public static class InProcessMSBuild
{
    private static readonly Lock Gate = new();

    public static InProcessBuild Build(string project, params string[] targets) => Build(project, new Dictionary<string, string>(), targets);

    public static InProcessBuild Build(string project, IReadOnlyDictionary<string, string> properties, params string[] targets)
    {
        lock (Gate)
        {
            // As `dotnet build` does: restore in an evaluation of its own, then build with what it wrote.
            var restoring = new Dictionary<string, string>(properties) { ["MSBuildRestoreSessionId"] = Guid.NewGuid().ToString(), ["MSBuildIsRestoring"] = "true" };
            var restore = Run(project, restoring, ["Restore"]);
            return restore.Success ? Run(project, properties, targets.Length == 0 ? ["Build"] : targets) : restore;
        }
    }

    private static InProcessBuild Run(string project, IReadOnlyDictionary<string, string> properties, string[] targets)
    {
        var collector = new Collector();
        var global = properties.ToDictionary(p => p.Key, p => p.Value);
        using var collection = new ProjectCollection(global);
        var parameters = new BuildParameters(collection) { Loggers = [collector], EnableNodeReuse = false, MaxNodeCount = 1 };
        var request = new BuildRequestData(project, properties.ToDictionary(p => p.Key, string? (p) => p.Value), null, targets, null, BuildRequestDataFlags.ClearCachesAfterBuild);
        var result = BuildManager.DefaultBuildManager.Build(parameters, request);
        return new InProcessBuild(result.OverallResult == BuildResultCode.Success, collector.Errors.Distinct().ToArray(), collector.Warnings.Distinct().ToArray());
    }

    private sealed class Collector : ILogger
    {
        public List<Diagnostic> Errors { get; } = [];

        public List<Diagnostic> Warnings { get; } = [];

        public LoggerVerbosity Verbosity { get; set; } = LoggerVerbosity.Quiet;

        public string? Parameters { get; set; }

        public void Initialize(IEventSource eventSource)
        {
            eventSource.ErrorRaised += (_, e) => { lock (Errors) Errors.Add(new Diagnostic(e.Code ?? "", e.File ?? "", e.LineNumber, e.Message ?? "")); };
            eventSource.WarningRaised += (_, e) => { lock (Warnings) Warnings.Add(new Diagnostic(e.Code ?? "", e.File ?? "", e.LineNumber, e.Message ?? "")); };
        }

        public void Shutdown()
        {
        }
    }
}

/// <summary>Registers the installed SDK's MSBuild before any test touches an MSBuild type (it must come first).</summary>
internal static class MSBuildRegistration
{
    [ModuleInitializer]
    internal static void Register()
    {
        if (!MSBuildLocator.IsRegistered) MSBuildLocator.RegisterDefaults();
    }
}
