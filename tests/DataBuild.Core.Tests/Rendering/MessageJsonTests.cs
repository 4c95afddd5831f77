using System.Text.Json.Nodes;
using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Core.Tests.Rendering;

public class MessageJsonTests
{
    // Beyond a double's 53 bits: a nanosecond time, and an odd one, so rounding through a double would show.
    private const long Nanos = 1_796_176_716_769_505_537;

    [Fact]
    public void Sixty_four_bit_integers_are_json_numbers_with_every_digit_and_every_field_is_present()
    {
        var run = new JobRunDetail { JobRunId = "r", DurationMs = 5, ScheduledAt = Nanos, Config = new JobConfig { Args = { "x" } } };
        var json = JsonNode.Parse(MessageJson.Line(run))!;
        Assert.Equal($"{Nanos}", json["scheduledAt"]!.ToJsonString());
        Assert.Equal("5", json["durationMs"]!.ToJsonString());
        Assert.Equal("", json["message"]!.GetValue<string>());
        Assert.Equal("JOB_UNKNOWN", json["status"]!.GetValue<string>());
        Assert.Empty(json["targets"]!.AsArray());
    }

    [Fact]
    public void Nested_repeated_and_map_values_are_numbers_too_and_read_back_exactly()
    {
        var page = new EventPage { NextSinceIndex = Nanos, Events = { new StoredEvent { Index = 7, Event = new BuildEvent { Timestamp = Nanos } } } };
        var line = MessageJson.Line(page);
        Assert.Contains($"\"timestamp\":{Nanos}", line);
        Assert.Equal(page, MessageJson.Parse<EventPage>(line));

        var pass = new ReconcilePassReport { Deferred = { ["a/1"] = new DeferredPartition { FailedBuilds = 2, RetryAt = Nanos } } };
        Assert.Contains($"\"retryAt\":{Nanos}", MessageJson.Line(pass));
        Assert.Equal(pass, MessageJson.Parse<ReconcilePassReport>(MessageJson.Indented(pass)));
    }

    [Fact]
    public void Fields_a_newer_service_adds_are_ignored_when_reading()
    {
        Assert.Equal("a/1", MessageJson.Parse<PartitionDetail>("""{"partitionRef":"a/1","lastIndex":3,"newField":{"x":1}}""").PartitionRef);
    }
}
