using System.Text;

namespace DataBuild.Job.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("databuild-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task WriteAllTextAsync_creates_missing_folders_and_writes_utf8_without_a_byte_order_mark()
    {
        var path = Path.Combine(_folder, "reviews", "date=2020-01-01", "part-0.txt");

        await AtomicFile.WriteAllTextAsync(path, "très bien");

        Assert.Equal(Encoding.UTF8.GetBytes("très bien"), await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Readers_see_the_old_content_until_the_new_content_is_complete()
    {
        var path = Path.Combine(_folder, "part-0.txt");
        await File.WriteAllTextAsync(path, "old");
        string? seenMidway = null;

        await AtomicFile.WriteAsync(path, async (stream, cancellationToken) =>
        {
            await stream.WriteAsync("new, first half "u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            seenMidway = await File.ReadAllTextAsync(path, cancellationToken);
            await stream.WriteAsync("and second half"u8.ToArray(), cancellationToken);
        });

        Assert.Equal("old", seenMidway);
        Assert.Equal("new, first half and second half", await File.ReadAllTextAsync(path));
        Assert.Equal(["part-0.txt"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_write_that_fails_leaves_the_old_file_and_no_temporary_file()
    {
        var path = Path.Combine(_folder, "part-0.txt");
        await File.WriteAllTextAsync(path, "old");

        await Assert.ThrowsAsync<InvalidDataException>(() => AtomicFile.WriteAsync(path, async (stream, cancellationToken) =>
        {
            await stream.WriteAsync("half of the new"u8.ToArray(), cancellationToken);
            throw new InvalidDataException("the source went away");
        }));

        Assert.Equal("old", await File.ReadAllTextAsync(path));
        Assert.Equal(["part-0.txt"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_cancelled_write_leaves_nothing_behind()
    {
        var path = Path.Combine(_folder, "part-0.txt");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AtomicFile.WriteAllTextAsync(path, "new", new CancellationToken(canceled: true)));

        Assert.Empty(Directory.GetFiles(_folder));
    }
}
