using System.Buffers;
using System.Text;

namespace DataBuild.Execution;

/// <summary>
/// Reads one output stream of a process in fixed-size blocks, never a whole line at once, so memory stays
/// bounded however long a line is: it keeps the last <c>tailLimit</c> characters, the lines that start with
/// <c>markerPrefix</c> (together at most <c>markerLimit</c> characters plus one, so a reader can tell they
/// were cut), and writes everything to the run's log as it arrives.
/// </summary>
internal sealed class OutputCapture(RunLog? log, string logPrefix, int tailLimit, string? markerPrefix = null, int markerLimit = 0, bool stopAtLimit = false)
{
    // Small enough that neither the block nor the reader's buffers land on the large object heap: two 64 KiB
    // blocks per stream cost a job run more than its spawn did (bench/analysis.md).
    private const int BlockSize = 8192;

    private readonly StringBuilder _tail = new();
    private readonly List<string> _marked = [];
    private readonly StringBuilder _markedLine = new();
    private readonly TaskCompletionSource _overLimit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _total;
    private int _markedChars;
    private int _lineStart;
    private bool _marking;
    private bool _atLineStart = true;

    /// <summary>The last characters read: all of them while fewer than the tail limit were read.</summary>
    public string Text => _tail.Length > tailLimit ? _tail.ToString(_tail.Length - tailLimit, tailLimit) : _tail.ToString();

    public IReadOnlyList<string> Marked => _marked;

    /// <summary>Completes when a capture made with <c>stopAtLimit</c> read more than its tail limit and stopped reading.</summary>
    public Task OverLimit => _overLimit.Task;

    public bool ExceededLimit => _overLimit.Task.IsCompleted;

    /// <summary>Reads <paramref name="stream"/> to its end, until <paramref name="stop"/> fires, or (with <c>stopAtLimit</c>) past the limit.</summary>
    public async Task PumpAsync(Stream stream, CancellationToken stop)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, BlockSize);
        var block = ArrayPool<char>.Shared.Rent(BlockSize);
        try
        {
            // WaitAsync: a pipe read is not always cancellable, and a process that escaped the job's group may hold it open forever.
            while (await reader.ReadAsync(block, stop).AsTask().WaitAsync(stop) is var read and > 0)
            {
                Add(block.AsSpan(0, read));
                if (stopAtLimit && _total > tailLimit)
                {
                    ArrayPool<char>.Shared.Return(block);
                    _overLimit.TrySetResult();
                    return;
                }
            }
            ArrayPool<char>.Shared.Return(block);
            EndLine();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Not returned to the pool: the abandoned read may still write into the block.
            EndLine();
        }
    }

    private void Add(ReadOnlySpan<char> chars)
    {
        _total += chars.Length;
        while (chars.Length > 0)
        {
            var newline = chars.IndexOf('\n');
            var piece = newline < 0 ? chars : chars[..(newline + 1)];
            Keep(piece);
            log?.Write(this, logPrefix, piece, _atLineStart);
            _atLineStart = newline >= 0;
            if (newline >= 0) EndLine();
            chars = chars[piece.Length..];
        }
        // Trimmed in halves rather than per block, so each character is moved a bounded number of times.
        if (_tail.Length > 2 * tailLimit) _tail.Remove(0, _tail.Length - tailLimit);
    }

    private void Keep(ReadOnlySpan<char> piece)
    {
        _tail.Append(piece);
        if (markerPrefix is null) return;
        if (_lineStart < markerPrefix.Length)
        {
            var wanted = Math.Min(markerPrefix.Length - _lineStart, piece.Length);
            _marking = (_lineStart == 0 || _marking) && piece[..wanted].SequenceEqual(markerPrefix.AsSpan(_lineStart, wanted));
        }
        _lineStart += piece.Length;
        if (_marking)
        {
            var room = markerLimit + 1 - _markedChars - _markedLine.Length;
            if (room > 0) _markedLine.Append(piece[..Math.Min(room, piece.Length)]);
        }
    }

    private void EndLine()
    {
        if (_marking && _lineStart >= markerPrefix!.Length)
        {
            var line = _markedLine.ToString().TrimEnd('\n').TrimEnd('\r');
            _marked.Add(line);
            _markedChars += line.Length;
        }
        _markedLine.Clear();
        _marking = false;
        _lineStart = 0;
        _atLineStart = true;
    }
}

/// <summary>
/// One job run's log file: both output streams, as they arrive, each stderr line tagged. A line longer than a
/// read block comes in pieces; when the other stream writes in between, the open line is ended first and its
/// rest starts a new line with its tag again, so every line of the log keeps naming its stream.
/// </summary>
internal sealed class RunLog : IDisposable
{
    private readonly StreamWriter _writer;
    private object? _openLine;

    private RunLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new StreamWriter(path, append: true, new UTF8Encoding(false)) { AutoFlush = true };
    }

    public static RunLog? Open(string? path) => path is null ? null : new RunLog(path);

    public void Write(object stream, string prefix, ReadOnlySpan<char> piece, bool atLineStart)
    {
        lock (_writer)
        {
            if (_openLine is not null && _openLine != stream)
            {
                _writer.Write('\n');
                atLineStart = true;
            }
            if (atLineStart || _openLine != stream) _writer.Write(prefix);
            _writer.Write(piece);
            _openLine = piece.Length > 0 && piece[^1] == '\n' ? null : stream;
        }
    }

    public void Note(string message)
    {
        lock (_writer)
        {
            if (_openLine is not null) _writer.Write('\n');
            _openLine = null;
            _writer.WriteLine($"[databuild] {message}");
        }
    }

    public void Dispose() => _writer.Dispose();
}
