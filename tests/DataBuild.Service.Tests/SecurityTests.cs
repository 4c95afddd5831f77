using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DataBuild.Proto;
using Grpc.Core;

namespace DataBuild.Service.Tests;

public sealed class SecurityTests : IDisposable
{
    private const string Token = "s3cret-token-0123456789abcdef";

    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task With_a_token_file_calls_without_the_token_get_401_and_write_nothing()
    {
        using var service = ServiceProcess.Start(_graph, Token);
        using var anonymous = new HttpClient { BaseAddress = service.BaseAddress };

        using (var response = await anonymous.PostAsJsonAsync("/api/v1/builds", new { partitions = new[] { "a/1" } }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/api/v1/wants") { Content = JsonContent.Create(new { partitions = new[] { "a/1" } }) })
        {
            wrong.Headers.Authorization = new("Bearer", Token + "x");
            using var response = await anonymous.SendAsync(wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/readyz")).StatusCode);

        var grpc = await Assert.ThrowsAsync<RpcException>(async () => await service.Grpc.ListWantsAsync(new ListWantsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, grpc.StatusCode);
        var authorized = await service.Grpc.ListEventsAsync(new ListEventsRequest(), new Metadata { { "Authorization", $"Bearer {Token}" } });

        // Nothing was written: the log is empty, and the authorized client sees it so.
        Assert.Empty(authorized.Events);
        Assert.Empty((await service.GetJson("/api/v1/events"))["events"]!.AsArray());
        Assert.Empty(_graph.Runs());
    }

    [Theory]
    [InlineData("/api/v1/builds", """{"partitions":["a/../x"]}""", "partitions[0]")]
    [InlineData("/api/v1/builds", """{"partitions":["a/1","zzz/1"]}""", "partitions[1]")]
    [InlineData("/api/v1/builds", """{"partitions":[]}""", "partitions")]
    [InlineData("/api/v1/builds", """{"partitions":["a/1"],"buildRequestId":"not-an-id"}""", "buildRequestId")]
    [InlineData("/api/v1/wants", """{"partitions":["a/1"],"ttl":"forever"}""", "ttl")]
    [InlineData("/api/v1/wants", """{"partitions":["a/1"],"ttl":"1h","sla":"2h"}""", "sla")]
    [InlineData("/api/v1/analyze", """{"partitions":["a//1"]}""", "partitions[0]")]
    public async Task A_bad_body_gets_400_naming_the_field_and_nothing_is_written(string path, string body, string field)
    {
        using var service = ServiceProcess.Start(_graph);
        using var response = await service.Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(field, problem["field"]?.GetValue<string>());
        Assert.StartsWith(field + ": ", problem["detail"]!.GetValue<string>());
        Assert.Empty((await service.GetJson("/api/v1/events"))["events"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/v1/events?pattern=a/{x", "pattern[0]")]
    [InlineData("/api/v1/events?limit=5000", "limit")]
    [InlineData("/api/v1/events?since=abc", "since")]
    [InlineData("/api/v1/events?wait=61", "wait")]
    [InlineData("/api/v1/partitions?pageSize=0&pageToken=%25%25", "pageToken")]
    [InlineData("/api/v1/runs/..%2F..%2Fetc%2Fpasswd/log", "jobRunId")]
    [InlineData("/api/v1/builds/nope", "buildRequestId")]
    public async Task A_bad_query_gets_400_naming_the_field(string path, string field)
    {
        using var service = ServiceProcess.Start(_graph);
        using var response = await service.Http.GetAsync(path);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {problem}");
        Assert.Equal(field, problem["field"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused()
    {
        using var service = ServiceProcess.Start(_graph);
        var refs = Enumerable.Range(0, 60_000).Select(i => $"a/{i:D20}").ToArray();
        using var response = await service.Http.PostAsJsonAsync("/api/v1/builds", new { partitions = refs });
        Assert.True((int)response.StatusCode is 413 or 400, $"{(int)response.StatusCode}");
        Assert.Empty((await service.GetJson("/api/v1/events"))["events"]!.AsArray());
    }

    [Fact]
    public void Listening_beyond_loopback_without_a_token_file_is_refused_at_start()
    {
        var (exitCode, _, stderr) = _graph.Cli("serve", "--urls", "http://0.0.0.0:0");
        Assert.Equal(2, exitCode);
        Assert.Contains("--token-file", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public void A_port_already_in_use_is_reported_in_one_line()
    {
        using var first = ServiceProcess.Start(_graph);
        var (exitCode, stdout, stderr) = _graph.Cli("serve", "--urls", first.BaseAddress.ToString().TrimEnd('/'));
        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("   at ", stdout);
        Assert.Contains($"cannot listen on {first.BaseAddress.ToString().TrimEnd('/')}", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    public void Dispose() => _graph.Dispose();
}
