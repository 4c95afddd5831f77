using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataBuild.Storage.Delta;

/// <summary>
/// The <c>_delta_log</c> folder of a table: reading commits and checkpoints (log replay, from the last
/// checkpoint when there is one), and committing a version by put-if-absent of its JSON file.
/// </summary>
internal sealed class DeltaLog(string tableFolder)
{
    /// <summary>Staging files of commits in progress: <c>_delta_log/_commit_&lt;guid&gt;.json.tmp</c>, never a version's name.</summary>
    public const string StagingPrefix = "_commit_";
    public const string StagingSuffix = ".json.tmp";

    public string TableFolder { get; } = tableFolder;

    public string Folder { get; } = Path.Combine(tableFolder, "_delta_log");

    public string CommitPath(long version) => Path.Combine(Folder, version.ToString("D20", CultureInfo.InvariantCulture) + ".json");

    public string CheckpointPath(long version) => Path.Combine(Folder, version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet");

    public string LastCheckpointPath => Path.Combine(Folder, "_last_checkpoint");

    /// <summary>The commit of <paramref name="version"/>, or null when it does not exist (yet).</summary>
    public DeltaCommit? ReadCommit(long version)
    {
        var path = CommitPath(version);
        // A follower polls for the next version: asking first is much cheaper than a missing file's exception.
        if (!File.Exists(path)) return null;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        return DeltaCommit.Parse(bytes, $"'{path}'");
    }

    /// <summary>
    /// Replays the log to its latest version: from the checkpoint <c>_last_checkpoint</c> names (when
    /// <paramref name="useCheckpoint"/>), then every JSON commit after it.
    /// </summary>
    public DeltaTableState Replay(bool useCheckpoint = true)
    {
        var state = useCheckpoint && LastCheckpointVersion() is { } version
            ? DeltaTableState.FromCheckpoint(version, DeltaCheckpoint.Read(CheckpointPath(version)))
            : new DeltaTableState();
        CatchUp(state);
        return state;
    }

    /// <summary>Applies the commits after <paramref name="state"/>'s version that exist now; returns how many.</summary>
    public int CatchUp(DeltaTableState state)
    {
        var applied = 0;
        while (ReadCommit(state.Version + 1) is { } commit)
        {
            state.Apply(state.Version + 1, commit);
            applied++;
        }
        return applied;
    }

    /// <summary>The version <c>_last_checkpoint</c> names, or null when there is none (or it names a missing checkpoint).</summary>
    public long? LastCheckpointVersion()
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(LastCheckpointPath));
            var version = document.RootElement.GetProperty("version").GetInt64();
            return File.Exists(CheckpointPath(version)) ? version : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{LastCheckpointPath}' is not a Delta _last_checkpoint: {e.Message}", e);
        }
    }

    /// <summary>
    /// Commits <paramref name="commit"/> as <paramref name="version"/> if no writer has: writes and syncs a
    /// staging file, then links it under the version's name. False when that version already exists.
    /// </summary>
    public bool TryCommit(long version, DeltaCommit commit)
    {
        Directory.CreateDirectory(Folder);
        var staging = Path.Combine(Folder, $"{StagingPrefix}{Guid.NewGuid():N}{StagingSuffix}");
        try
        {
            WriteSynced(staging, commit.ToJsonLines());
            return PutIfAbsent.TryLink(staging, CommitPath(version));
        }
        finally
        {
            File.Delete(staging);
        }
    }

    /// <summary>Points <c>_last_checkpoint</c> at <paramref name="version"/> (replaced whole, by rename), unless it names a later one.</summary>
    public void WriteLastCheckpoint(long version, long size)
    {
        if (LastCheckpointVersion() >= version) return;
        var json = Encoding.UTF8.GetBytes($"{{\"version\":{version},\"size\":{size}}}");
        ReplaceWhole(LastCheckpointPath, stream => stream.Write(json));
    }

    /// <summary>Writes <paramref name="path"/> through a synced temporary file renamed over it, so readers see all of it or none.</summary>
    public static void ReplaceWhole(string path, Action<Stream> write)
    {
        var temporary = TemporaryFor(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A hidden name beside <paramref name="path"/> (<c>.&lt;name&gt;.&lt;guid&gt;.tmp</c>), which Delta readers never take for a log file.</summary>
    public static string TemporaryFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");

    public static void WriteSynced(string path, ReadOnlySpan<byte> bytes)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
