using System.Text;

namespace DataBuild.Job;

/// <summary>
/// Writes a file so that readers see it complete or not at all (the contract requires outputs to be
/// atomic): the content goes to a hidden temporary file in the same folder, is flushed to disk, and is then
/// renamed over the target. A rename within one folder is atomic; across folders it may be a copy.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> as UTF-8 (no byte order mark), replacing any existing file.</summary>
    public static Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken = default) =>
        WriteAsync(path, (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(contents), ct).AsTask(), cancellationToken);

    /// <summary>
    /// Lets <paramref name="write"/> fill the file through a stream, replacing any existing file once it
    /// returns. If it throws or is cancelled, the existing file is left as it was. Creates missing folders.
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' names no file", nameof(path));
        Directory.CreateDirectory(folder);
        // Hidden and uniquely named, so globs over the folder skip it and concurrent writers never share one.
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await write(stream, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                // Without this a crash after the rename could leave the new name pointing at unwritten blocks.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
