namespace DataBuild.Events.Storage;

/// <summary>One line of a file: where it starts, its bytes without the newline, and whether the newline was there.</summary>
internal readonly record struct FileLine(long Offset, byte[] Bytes, bool Terminated)
{
    /// <summary>The offset just past this line and its newline.</summary>
    public long End => Offset + Bytes.Length + (Terminated ? 1 : 0);
}

/// <summary>Splits a byte range of a file into lines, reading it in large blocks.</summary>
internal static class JsonLinesReader
{
    private const int BlockSize = 1 << 16;

    public static IEnumerable<FileLine> Read(Stream stream, long start, long end)
    {
        stream.Position = start;
        var block = new byte[BlockSize];
        var partial = new MemoryStream();
        var lineStart = start;
        var position = start;
        while (position < end)
        {
            var read = stream.Read(block, 0, (int)Math.Min(block.Length, end - position));
            if (read == 0) break;
            var from = 0;
            while (from < read)
            {
                var newline = Array.IndexOf(block, (byte)'\n', from, read - from);
                if (newline < 0)
                {
                    partial.Write(block, from, read - from);
                    break;
                }
                partial.Write(block, from, newline - from);
                var bytes = partial.ToArray();
                partial.SetLength(0);
                yield return new FileLine(lineStart, bytes, Terminated: true);
                lineStart += bytes.Length + 1;
                from = newline + 1;
            }
            position += read;
        }
        if (partial.Length > 0) yield return new FileLine(lineStart, partial.ToArray(), Terminated: false);
    }
}
