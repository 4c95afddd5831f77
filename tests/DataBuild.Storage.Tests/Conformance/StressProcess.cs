using System.Diagnostics;

namespace DataBuild.Storage.Tests;

/// <summary>
/// Runs DataBuild.StorageStress (copied beside the tests by a project reference) as a separate process,
/// so tests can have several processes write one log and kill one mid-append.
/// </summary>
internal sealed class StressProcess : IDisposable
{
    private readonly Process _process;

    private StressProcess(Process process) => _process = process;

    /// <summary>
    /// Appends <paramref name="batches"/> batches of <paramref name="batchSize"/> events as <paramref name="writer"/>,
    /// then exits. It prints "ready", then waits for <paramref name="goFile"/> to exist before it opens the storage.
    /// </summary>
    public static StressProcess Append(string uri, string writer, int batches, int batchSize, string goFile) =>
        Start("append", uri, writer, batches.ToString(), batchSize.ToString(), goFile);

    /// <summary>Appends batches of <paramref name="batchSize"/> events until killed.</summary>
    public static StressProcess Loop(string uri, string writer, int batchSize) => Start("loop", uri, writer, batchSize.ToString());

    /// <summary>
    /// Follows the log from <paramref name="since"/>, printing "ready" once it has opened it, then one
    /// "index event-id" line per event (matching <paramref name="pattern"/>, when given), and exits after
    /// <paramref name="count"/> events.
    /// </summary>
    public static StressProcess Follow(string uri, long since, int count, string? pattern = null) =>
        Start(["follow", uri, since.ToString(), count.ToString(), .. pattern is null ? Array.Empty<string>() : [pattern]]);

    public bool HasExited => _process.HasExited;

    /// <summary>Reads the process's output until it prints <paramref name="expected"/>; returns false if it exits first.</summary>
    public bool WaitForLine(string expected)
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line == expected) return true;
        }
        return false;
    }

    /// <summary>
    /// Reads a follower's event lines until <paramref name="count"/> of them or its exit; kills it and fails
    /// when that takes longer than <paramref name="timeout"/>, as a follower that missed an event would.
    /// </summary>
    public List<(long Index, string EventId)> ReadEvents(int count, TimeSpan timeout)
    {
        var events = new List<(long Index, string EventId)>();
        var reading = Task.Run(() =>
        {
            while (events.Count < count && _process.StandardOutput.ReadLine() is { } line)
            {
                var space = line.IndexOf(' ');
                events.Add((long.Parse(line[..space]), line[(space + 1)..]));
            }
        });
        if (!reading.Wait(timeout))
        {
            Kill();
            reading.Wait();
            Assert.Fail($"the follower printed {events.Count} of {count} events within {timeout}; the last: {(events.Count > 0 ? events[^1] : "none")}");
        }
        return events;
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for a normal exit and fails with the process's stderr otherwise.</summary>
    public void WaitForSuccess(TimeSpan timeout)
    {
        var output = _process.StandardOutput.ReadToEndAsync();
        var errors = _process.StandardError.ReadToEndAsync();
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            Assert.Fail($"the stress process did not finish within {timeout}");
        }
        output.Wait();
        Assert.True(_process.ExitCode == 0, $"the stress process exited with {_process.ExitCode}: {errors.Result}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private static StressProcess Start(params IEnumerable<string> arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DataBuild.StorageStress.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: the test project must reference DataBuild.StorageStress");
        // The dotnet CLI tells its children where it is; fall back to the one on PATH.
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        return new StressProcess(Process.Start(info)!);
    }
}
