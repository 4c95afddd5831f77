using DataBuild.Proto;
using DataBuild.Rendering;
using Google.Protobuf;

namespace DataBuild.Core.Tests.Rendering;

public class ProgressTextTests
{
    private static BuildProgress Retrying() => new()
    {
        Kind = BuildProgressKind.JobRetrying,
        Job = "flaky",
        JobRunId = "run-1",
        Partitions = { "flaky/1", "flaky/2", "flaky/3" },
        LogPath = "/logs/run-1.log",
        Attempt = 1,
        ExitCode = 1,
        Reason = "exit code 1: try again",
        RetryDelaySeconds = 2,
        Done = 1,
        Remaining = 2,
    };

    [Fact]
    public void A_retry_reads_the_same_on_a_terminal_and_in_a_build_log_from_the_same_fields()
    {
        Assert.Equal("retrying flaky flaky/1 (+2 more): exit code 1: try again; retrying in 2s (log: /logs/run-1.log)", ProgressText.Line(Retrying()));
        Assert.Equal("DataBuild: retrying flaky flaky/1 (+2 more) (run run-1): exit code 1: try again; retrying in 2s; log: /logs/run-1.log",
            ProgressText.Message(Retrying()));
    }

    [Fact]
    public void A_failure_names_the_job_its_run_its_log_and_why()
    {
        var failed = Retrying();
        failed.Kind = BuildProgressKind.JobFailed;
        Assert.Equal("job 'flaky' failed to build flaky/1 (+2 more) (run run-1): exit code 1: try again; log: /logs/run-1.log", ProgressText.Failure(failed));
        Assert.Null(ProgressText.Message(failed));
    }

    [Fact]
    public void A_progress_line_read_back_with_the_protobuf_parser_is_the_event_written()
    {
        var line = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true)).Format(Retrying());
        Assert.Contains("\"kind\": \"JobRetrying\"", line);
        Assert.Equal(Retrying(), JsonParser.Default.Parse<BuildProgress>(line));
    }

    [Theory]
    [InlineData(2, "a, b")]
    [InlineData(3, "a, b, c")]
    [InlineData(5, "a, b, c and 2 more")]
    public void Long_lists_show_the_first_items_and_count_the_rest(int count, string expected) =>
        Assert.Equal(expected, ListText.FirstAndMore(new[] { "a", "b", "c", "d", "e" }.Take(count).ToArray(), 3));
}
