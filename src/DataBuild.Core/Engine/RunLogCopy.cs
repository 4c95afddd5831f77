using System.Diagnostics;
using DataBuild.Events;

namespace DataBuild.Engine;

/// <summary>
/// Copies a live job run's log file into the log's run-log store (<see cref="IEventStorage.RunLogs"/>), whatever
/// executor writes the file: a chunk each time <see cref="ChunkBytes"/> have come or a second has passed with
/// something new, whichever is first, never a row per line; one buffer per run, however much the job prints. The
/// chunks are the file's bytes at the file's offsets, so a reader gets the same log from either. Once the run has
/// ended, the rest of the file is copied and the last chunk marks the log complete.
/// </summary>
internal sealed class RunLogCopy
{
    public const int ChunkBytes = 64 * 1024;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    private readonly IRunLogStore _store;
    private readonly BuildEventLog _log;
    private readonly string _runId;
    private readonly string _path;
    private readonly byte[] _buffer = new byte[ChunkBytes];
    private readonly Stopwatch _sinceChunk = Stopwatch.StartNew();
    private FileStream? _file;
    private long _offset;
    private int _filled;

    private RunLogCopy(BuildEventLog log, IRunLogStore store, string runId, string path)
    {
        _log = log;
        _store = store;
        _runId = runId;
        _path = path;
    }

    /// <summary>
    /// <paramref name="run"/>, completing once its log is copied too; <paramref name="run"/> itself when
    /// <paramref name="log"/> keeps no run logs. <paramref name="resume"/> (an adopted run) goes on from where the
    /// stored copy ends.
    /// </summary>
    public static Task<T> Around<T>(BuildEventLog log, string runId, string path, Task<T> run, bool resume = false) =>
        log.Storage.RunLogs is { } store ? new RunLogCopy(log, store, runId, path).FollowAsync(run, resume) : run;

    private async Task<T> FollowAsync<T>(Task<T> run, bool resume)
    {
        try
        {
            if (resume) _offset = _store.Read(_runId, 0, 0)?.Length ?? 0;
            while (true)
            {
                var ended = run.IsCompleted;
                var read = ReadMore();
                if (_filled == ChunkBytes || (_filled > 0 && _sinceChunk.Elapsed >= Interval)) Store(complete: false);
                if (read > 0) continue;
                if (ended) break;
                await Task.WhenAny(run, Task.Delay(Poll));
            }
            Store(complete: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The copy is for other machines; the run and its log file go on without it (the file is still read first).
            _log.Warn($"the log of job run {_runId} is stored in the event log only up to byte {_offset} ({e.Message}); its log file has all of it");
        }
        finally
        {
            _file?.Dispose();
        }
        return await run;
    }

    // What the file holds past what was read, into the rest of the buffer: 0 at its end for now (or before it exists).
    private int ReadMore()
    {
        if (_file is null)
        {
            try
            {
                _file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
                _file.Position = _offset;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return 0;
            }
        }
        var read = _file.Read(_buffer, _filled, ChunkBytes - _filled);
        _filled += read;
        return read;
    }

    private void Store(bool complete)
    {
        _store.AppendChunk(_runId, _offset, _buffer.AsMemory(0, _filled), complete);
        _offset += _filled;
        _filled = 0;
        _sinceChunk.Restart();
    }
}
