using DataBuild.Engine;

namespace DataBuild.Service;

/// <summary>
/// Reads job-run logs for the API. The path is derived from the run id inside the graph's own log folder,
/// never taken from an event or a request, so no call can read any other file.
/// </summary>
internal static class RunLogs
{
    public const int MaxChunk = 1024 * 1024;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// Up to <paramref name="limit"/> bytes from <paramref name="offset"/>, cut before a split UTF-8 character, from the
    /// log file or, when it is not on this machine, the copy in the event log; null when there is no log.
    /// </summary>
    public static (string Text, long NextOffset, long Length)? Read(GraphWorkspace workspace, Guid jobRunId, long offset, int limit)
    {
        if (JobRunLogs.Read(workspace.LogDirectory, workspace.Log.Storage.RunLogs, jobRunId.ToString("D"), offset, limit) is not { } slice) return null;
        var bytes = slice.Bytes;
        var usable = bytes.Length;
        // A chunk ending inside a multi-byte character stops before it; the next chunk starts there.
        if (offset + bytes.Length < slice.Length) usable = CompleteUtf8Prefix(bytes);
        // The log's byte order mark is no part of its text.
        var skip = offset == 0 && bytes.AsSpan(0, usable).StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        return (System.Text.Encoding.UTF8.GetString(bytes, skip, usable - skip), offset + usable, slice.Length);
    }

    private static int CompleteUtf8Prefix(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        var back = 0;
        while (back < 4 && end - back - 1 >= 0 && (bytes[end - back - 1] & 0xC0) == 0x80) back++;
        if (end - back - 1 < 0) return end;
        var lead = bytes[end - back - 1];
        var needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return needed > back + 1 ? end - back - 1 : end;
    }
}
