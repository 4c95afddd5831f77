using System.Buffers.Binary;
using System.Security.Cryptography;

namespace DataBuild.Events.Storage;

/// <summary>
/// The snapshot store of a log kept in a file (docs/event-log.md#snapshots): one side file beside it,
/// <c>&lt;log&gt;.snapshot</c>. It is replaced whole, by writing a temporary file in the same folder, syncing
/// it and renaming it over the old one, so a reader sees the old snapshot or the new one and a crash leaves
/// the old one. Writers take <c>&lt;log&gt;.snapshot.lock</c>, so of two at once the one covering furthest stays.
/// The file: "DBVIEWS1", the view-schema version (int32), the covered index (int64), the SHA-256 of the
/// payload (32 bytes), then the payload (a ViewSnapshot), all little-endian. History chunks are files of their own in
/// <c>&lt;log&gt;.snapshot.history/</c>, one per snapshot that retired runs (<c>&lt;chunk id&gt;.chunk</c>: "DBHIST01",
/// the SHA-256 of the payload, the payload), written the same way before the snapshot that lists them, and kept when
/// the snapshot is deleted.
/// </summary>
public sealed class SnapshotFile(string logPath, TimeSpan lockTimeout) : ISnapshotStore
{
    private static readonly byte[] Magic = "DBVIEWS1"u8.ToArray();
    private static readonly byte[] HistoryMagic = "DBHIST01"u8.ToArray();
    private const int HeaderSize = 8 + 4 + 8 + 32;

    public string Path { get; } = logPath + ".snapshot";

    private string HistoryFolder => Path + ".history";

    private string HistoryPath(string chunkId) =>
        chunkId.Length > 0 && chunkId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? System.IO.Path.Combine(HistoryFolder, $"{chunkId}.chunk")
            : throw new InvalidDataException($"'{chunkId}' is not a history chunk id");

    private string LockPath => Path + ".lock";

    public StoredSnapshot? ReadSnapshot()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        if (bytes.Length < HeaderSize || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"'{Path}' is not a DataBuild view snapshot");
        var payload = bytes[HeaderSize..];
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(20, 32)))
            throw new InvalidDataException($"'{Path}' is damaged: its checksum does not match");
        return new StoredSnapshot(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12)), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8)), payload);
    }

    public bool WriteSnapshot(StoredSnapshot snapshot)
    {
        using var fileLock = FileLock.Acquire(LockPath, exclusive: true, lockTimeout);
        if (CoveredIndex() >= snapshot.CoveredIndex) return false;
        if (snapshot.History is { } history)
        {
            Directory.CreateDirectory(HistoryFolder);
            var chunkHeader = new byte[8 + 32];
            HistoryMagic.CopyTo(chunkHeader, 0);
            SHA256.HashData(history.Payload).CopyTo(chunkHeader, 8);
            Replace(HistoryPath(history.Id), chunkHeader, history.Payload);
        }
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), snapshot.ViewSchemaVersion);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), snapshot.CoveredIndex);
        SHA256.HashData(snapshot.Payload).CopyTo(header, 20);
        Replace(Path, header, snapshot.Payload);
        return true;
    }

    public byte[]? ReadHistory(string chunkId)
    {
        var path = HistoryPath(chunkId);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        if (bytes.Length < 40 || !bytes.AsSpan(0, 8).SequenceEqual(HistoryMagic))
            throw new InvalidDataException($"'{path}' is not a DataBuild history chunk");
        var payload = bytes[40..];
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(bytes.AsSpan(8, 32)))
            throw new InvalidDataException($"'{path}' is damaged: its checksum does not match");
        return payload;
    }

    public void DeleteSnapshot()
    {
        using var fileLock = FileLock.Acquire(LockPath, exclusive: true, lockTimeout);
        File.Delete(Path);
    }

    // Writes a temporary file in the same folder, syncs it and renames it over path: a reader sees the old file or the new one.
    private static void Replace(string path, byte[] header, byte[] payload)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(header);
                stream.Write(payload);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    // A side file alone knows no compaction; a log that compacts wraps it (JsonLinesEventStorage).
    public CompactionMark? DeleteSnapshotUnlessCompacted()
    {
        DeleteSnapshot();
        return null;
    }

    // The index the stored snapshot covers, from its header alone; 0 when there is none or it is unreadable.
    private long CoveredIndex()
    {
        try
        {
            using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            Span<byte> header = stackalloc byte[HeaderSize];
            if (stream.ReadAtLeast(header, HeaderSize, throwOnEndOfStream: false) < HeaderSize || !header[..8].SequenceEqual(Magic)) return 0;
            return BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }
}
