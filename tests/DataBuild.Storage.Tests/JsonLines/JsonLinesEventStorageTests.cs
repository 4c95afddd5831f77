using System.Text;

namespace DataBuild.Storage.Tests;

public sealed class JsonLinesEventStorageTests : EventStorageConformanceTests
{
    protected override string Uri => $"file:{LogPath}";

    private string LogPath => Folder.Combine("bel.jsonl");

    [Fact]
    public void A_torn_last_line_is_reported_ignored_and_overwritten_by_the_next_append()
    {
        using (var first = Open()) first.Append(TestEvents.Many(3));
        File.AppendAllText(LogPath, "{\"index\":4,\"batchEnd\":4,\"event\":{\"eventId\":\"tor");

        using (var storage = Open())
        {
            Assert.Contains(Warnings, w => w.Contains(LogPath) && w.Contains("line 4") && w.Contains("incomplete"));
            Assert.Equal(["e0", "e1", "e2"], ReadAll(storage).Select(e => e.Event.EventId));
            Assert.Equal(3, storage.List(0, new Proto.EventFilter(), 10).NextSinceIndex);

            Assert.Equal([4L], storage.Append([TestEvents.Partition("new", "data/new")]));
            Assert.Contains(Warnings, w => w.Contains("overwriting"));
        }

        var warningsBefore = Warnings.Count;
        using var reopened = Open();
        Assert.Equal(["e0", "e1", "e2", "new"], ReadAll(reopened).Select(e => e.Event.EventId));
        Assert.Equal(4, File.ReadAllLines(LogPath).Length);
        Assert.Equal(warningsBefore, Warnings.Count);
    }

    [Fact]
    public void A_batch_cut_short_after_whole_lines_is_ignored_as_a_unit()
    {
        using (var first = Open()) first.Append(TestEvents.Many(1));
        var lines = File.ReadAllLines(LogPath);
        // Lines 2 and 3 of a batch that should have ended at index 4: the crash came before line 4.
        File.AppendAllLines(LogPath,
        [
            lines[0].Replace("\"index\":1,\"batchEnd\":1", "\"index\":2,\"batchEnd\":4").Replace("\"e0\"", "\"lost-a\""),
            lines[0].Replace("\"index\":1,\"batchEnd\":1", "\"index\":3,\"batchEnd\":4").Replace("\"e0\"", "\"lost-b\""),
        ]);

        using var storage = Open();

        Assert.Contains(Warnings, w => w.Contains("lines 2-3"));
        Assert.Equal(["e0"], ReadAll(storage).Select(e => e.Event.EventId));
        Assert.Equal([2L], storage.Append([TestEvents.Partition("lost-a", "data/again")]));
    }

    [Fact]
    public void A_damaged_line_in_the_middle_is_an_error_naming_the_file_and_line()
    {
        using (var first = Open()) first.Append(TestEvents.Many(3));
        var lines = File.ReadAllLines(LogPath);
        lines[1] = lines[1][..20];
        File.WriteAllLines(LogPath, lines);

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains(LogPath, error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void Damage_appearing_under_an_open_storage_is_an_error_when_listing()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(1));
        var good = File.ReadAllLines(LogPath)[0];
        File.AppendAllLines(LogPath, ["{\"index\":2, this is not json", good.Replace("\"index\":1,\"batchEnd\":1", "\"index\":3,\"batchEnd\":3").Replace("\"e0\"", "\"e9\"")]);

        var error = Assert.Throws<InvalidDataException>(() => storage.List(0, new Proto.EventFilter(), 10));

        Assert.Contains(LogPath, error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_log_is_refused_and_left_alone()
    {
        File.WriteAllText(LogPath, "name,value\nx,1\n");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains(LogPath, error.Message);
        Assert.Contains("line 1", error.Message);
        Assert.Equal("name,value\nx,1\n", File.ReadAllText(LogPath));
    }

    [Fact]
    public void A_line_whose_index_is_out_of_sequence_is_an_error()
    {
        File.WriteAllText(LogPath, "{\"index\":1,\"event\":{\"eventId\":\"a\"}}\n{\"index\":3,\"event\":{\"eventId\":\"b\"}}\n");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains("line 2", error.Message);
        Assert.Contains("expected 2", error.Message);
    }

    [Fact]
    public void Hand_written_lines_without_batch_ends_and_with_a_byte_order_mark_are_read()
    {
        File.WriteAllText(LogPath, "{\"index\":1,\"event\":{\"eventId\":\"a\",\"buildRequestId\":\"br-1\"}}\n{\"index\":2,\"event\":{\"eventId\":\"b\"}}\n", Encoding.UTF8);

        using var storage = Open();

        Assert.Equal(["a", "b"], ReadAll(storage).Select(e => e.Event.EventId));
        Assert.Equal([3L], storage.Append(TestEvents.Many(1)));
        Assert.Empty(Warnings);
    }
}
