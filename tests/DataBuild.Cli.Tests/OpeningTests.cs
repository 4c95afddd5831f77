using System.Diagnostics;

namespace DataBuild.Cli.Tests;

/// <summary>Logs that cannot be opened, and logs that do not exist yet.</summary>
public sealed class OpeningTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public OpeningTests()
    {
        _graph.WriteGraph(("raw", [_graph.WriteJob("raw")], ["raw/{day}"], null));
    }

    public void Dispose() => _graph.Dispose();

    private string DefaultLog => Path.Combine(_graph.Folder, ".databuild", "bel.sqlite");

    private static void AssertCannotOpen(ProcessResult result, string bel, string reason)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"databuild: cannot open the BEL {bel}: {reason}", result.Stderr);
        Assert.DoesNotContain("unexpected error", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_log_that_cannot_be_opened_is_reported_as_such_with_exit_2()
    {
        Assert.Equal(0, _graph.Run("build", "raw/mon").ExitCode);
        var truncated = Path.Combine(_graph.Folder, "truncated.sqlite");
        File.WriteAllBytes(truncated, File.ReadAllBytes(DefaultLog)[..3000]);
        var folder = Path.Combine(_graph.Folder, "a-folder");
        Directory.CreateDirectory(folder);

        foreach (var command in new[] { "status", "build" })
        {
            AssertCannotOpen(_graph.Run(command, "raw/tue", "--bel", $"sqlite:{truncated}"), $"sqlite:{truncated}", "the database file is damaged");
            AssertCannotOpen(_graph.Run(command, "raw/tue", "--bel", $"sqlite:{folder}"), $"sqlite:{folder}", "it is a folder, not a file");
            AssertCannotOpen(_graph.Run(command, "raw/tue", "--bel", $"file:{folder}"), $"file:{folder}", "it is a folder, not a file");
        }
        var proc = _graph.Run("build", "raw/tue", "--bel", "sqlite:/proc/databuild-test.sqlite");
        AssertCannotOpen(proc, "sqlite:/proc/databuild-test.sqlite", "the file cannot be opened or created here");
    }

    [Fact]
    public void Only_a_build_creates_a_log_and_only_in_a_folder_that_exists()
    {
        var status = _graph.Run("status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("no partitions yet", status.Stdout);
        Assert.Contains($"there is no event log at sqlite:{DefaultLog} yet; 'databuild build' creates it", status.Stderr);
        Assert.False(Directory.Exists(Path.Combine(_graph.Folder, ".databuild")));

        var elsewhere = Path.Combine(_graph.Folder, "no-such-folder", "bel.sqlite");
        var refused = _graph.Run("build", "raw/mon", "--bel", $"sqlite:{elsewhere}");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains($"cannot create the BEL sqlite:{elsewhere}: the folder {Path.GetDirectoryName(elsewhere)} does not exist", refused.Stderr);
        Assert.False(Directory.Exists(Path.GetDirectoryName(elsewhere)));
        Assert.Empty(_graph.Runs());

        var first = _graph.Run("build", "raw/mon");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"databuild: created a new event log: sqlite:{DefaultLog}", first.Stderr);
        var second = _graph.Run("build", "raw/tue");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain("created a new event log", second.Stderr);
    }

    [Fact]
    public void A_build_refused_for_bad_input_leaves_no_log_behind()
    {
        var result = _graph.Run("build", "no/such/ref");
        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(DefaultLog));
        Assert.False(Directory.Exists(Path.Combine(_graph.Folder, ".databuild")));
    }

    [Fact]
    public void After_a_full_disk_is_given_space_again_a_build_succeeds()
    {
        // A small file system of its own (the tests run as root), holding only the log.
        var disk = Path.Combine(_graph.Folder, "disk");
        Directory.CreateDirectory(disk);
        Run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", disk);
        try
        {
            var bel = $"sqlite:{Path.Combine(disk, "bel.sqlite")}";
            Assert.Equal(0, _graph.Run("build", "raw/mon", "--bel", bel).ExitCode);
            var filler = Path.Combine(disk, "filler");
            Fill(filler);

            var full = _graph.Run("build", "raw/tue", "--bel", bel);
            Assert.True(full.ExitCode == 2, full.ToString());
            Assert.Contains($"cannot open the BEL {bel}: the disk is full", full.Stderr);
            Assert.DoesNotContain("   at ", full.Stderr);

            File.Delete(filler);
            var freed = _graph.Run("build", "raw/tue", "--bel", bel);
            Assert.True(freed.ExitCode == 0, freed.ToString());
            Assert.Equal("PARTITION_AVAILABLE", _graph.Json("status", "raw/tue", "--bel", bel)[0]!["status"]!.GetValue<string>());
        }
        finally
        {
            Run("umount", disk);
        }
    }

    [Fact]
    public void A_log_on_a_read_only_file_system_cannot_be_opened_for_a_build()
    {
        Assert.Equal(0, _graph.Run("build", "raw/mon").ExitCode);
        var shelf = Path.Combine(_graph.Folder, "shelf");
        Directory.CreateDirectory(shelf);
        File.Copy(DefaultLog, Path.Combine(shelf, "bel.sqlite"));
        Run("mount", "--bind", shelf, shelf);
        try
        {
            Run("mount", "-o", "remount,ro,bind", shelf);
            var bel = $"sqlite:{Path.Combine(shelf, "bel.sqlite")}";
            AssertCannotOpen(_graph.Run("build", "raw/tue", "--bel", bel), bel, "the file cannot be opened or created here");
            Assert.DoesNotContain("raw/tue", string.Join("\n", _graph.Runs()));
        }
        finally
        {
            Run("umount", shelf);
        }
    }

    private static void Fill(string path)
    {
        using var stream = File.Create(path);
        var block = new byte[64 * 1024];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
            // No space left on the device: that is the point.
        }
    }

    private static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed (the test needs root): {errors}");
    }
}
