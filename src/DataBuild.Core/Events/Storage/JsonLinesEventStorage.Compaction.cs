using System.Text;
using System.Text.Json;

namespace DataBuild.Events.Storage;

// Compaction of a file log (docs/event-log.md#compaction): the file is rewritten without its oldest lines, under
// the append lock, into a temporary file in the same folder that is synced and renamed over the log, so a reader
// sees the old file or the new one. The new file's first line holds the first retained index; that is the mark.
// The side file <log>.compacted names the archive of the last compaction, for messages. Readers of this and other
// processes notice the replacement by the first line's index (compaction only ever raises it) and read it afresh.
public sealed partial class JsonLinesEventStorage : IEventCompaction
{
    private static readonly byte[] RecordStart = "{\"index\":"u8.ToArray();

    public IEventCompaction Compaction => this;

    private string MarkPath => Path + ".compacted";

    public CompactionMark? ReadMark()
    {
        using var stream = OpenForRead();
        if (stream is null) return null;
        CatchUpIfGrown(stream);
        lock (_state) return MarkOf(_firstIndex);
    }

    public void DropBefore(long firstRetainedIndex, long expectedFirstRetainedIndex, string? archive)
    {
        lock (_appendLock)
        {
            using var fileLock = ForWriting(() => FileLock.Acquire(LockPath, exclusive: true, _lockTimeout));
            using var stream = OpenForRead() ?? throw new InvalidOperationException("the log is empty");
            long start, end;
            lock (_state)
            {
                ForgetIfReplaced(stream);
                CatchUp(stream);
                if (_firstIndex != expectedFirstRetainedIndex)
                    throw new InvalidOperationException($"another compaction ran meanwhile (the log now starts at event {_firstIndex})");
                if (firstRetainedIndex > LastIndex || firstRetainedIndex < _firstIndex)
                    throw new InvalidOperationException($"event {firstRetainedIndex} is not in the log (it holds events {_firstIndex}-{LastIndex})");
                if (SnapshotCovered() < firstRetainedIndex)
                    throw new InvalidOperationException($"its view snapshot was deleted or replaced meanwhile and no longer covers event {firstRetainedIndex}");
                start = _lineStarts[(int)(firstRetainedIndex - _firstIndex)];
                end = _committedEnd;
            }
            var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
            try
            {
                using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Position = start;
                    CopyBytes(stream, output, end - start);
                    output.Flush(flushToDisk: true);
                }
                WriteMarkFile(firstRetainedIndex, archive);
                File.Move(temporary, Path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
            lock (_state) Forget();
        }
    }

    // Under _state: the mark of a log whose first line holds firstIndex, with the archive its side file names.
    private CompactionMark? MarkOf(long firstIndex)
    {
        if (firstIndex <= 1) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(MarkPath));
            var root = document.RootElement;
            if (root.GetProperty("firstRetainedIndex").GetInt64() == firstIndex)
                return new CompactionMark(firstIndex, root.TryGetProperty("archive", out var archive) && archive.ValueKind == JsonValueKind.String ? archive.GetString() : null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
        }
        return new CompactionMark(firstIndex, $"an archive not recorded beside {Path}");
    }

    private void WriteMarkFile(long firstRetainedIndex, string? archive)
    {
        var temporary = $"{MarkPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                output.Write(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?> { ["firstRetainedIndex"] = firstRetainedIndex, ["archive"] = archive }));
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, MarkPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // Under _state: when the file open in stream is not the one read so far (a compaction replaced it), forgets what was read.
    private void ForgetIfReplaced(FileStream stream)
    {
        if (_committedEnd > 0 && FirstIndexOf(stream) is { } first && first != _firstIndex) Forget();
    }

    private void Forget()
    {
        _lineStarts.Clear();
        _indexById.Clear();
        _committedEnd = 0;
        _firstIndex = 1;
        _reportedTornTailAt = -1;
    }

    // The index of the file's first line, from its first bytes; null when it has none or they are not a record's start.
    private static long? FirstIndexOf(FileStream stream)
    {
        Span<byte> head = stackalloc byte[32];
        var read = RandomAccess.Read(stream.SafeFileHandle, head, 0);
        if (read <= RecordStart.Length || !head[..RecordStart.Length].SequenceEqual(RecordStart)) return null;
        var digits = head[RecordStart.Length..read];
        var length = 0;
        while (length < digits.Length && digits[length] is >= (byte)'0' and <= (byte)'9') length++;
        return length > 0 && length < digits.Length && long.TryParse(Encoding.ASCII.GetString(digits[..length]), out var index) && index > 0 ? index : null;
    }

    private static void CopyBytes(Stream from, Stream to, long count)
    {
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            var read = from.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (read == 0) throw new IOException("the log ended before its last committed line");
            to.Write(buffer, 0, read);
            count -= read;
        }
    }
}
