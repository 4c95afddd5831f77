using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DataBuild.ServiceBench;

// The graph service's figures (issue 14), all in one run, against real `databuild serve` processes on loopback:
// API build-submit latency, events/s delivered to 10 long-poll followers, the cross-graph reaction time, and the
// catalog routes on a 100,000-partition catalog. Usage: dotnet run -c Release [-- [<catalog size>] [--catalog-only]]
// (--catalog-only: the catalog routes alone, for profiling them.)
var catalogOnly = args.Contains("--catalog-only");
var sizes = args.Where(a => a != "--catalog-only").ToArray();
var catalogSize = sizes.Length > 0 ? int.Parse(sizes[0], CultureInfo.InvariantCulture) : 100_000;
var report = new StringBuilder();
void Line(string text)
{
    Console.WriteLine(text);
    report.AppendLine(text);
}

Line($"DataBuild service benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} processors");

if (!catalogOnly) await ServiceFigures();

async Task ServiceFigures()
{
    using var small = new BenchGraph();
    using var upstream = small.Serve("--parallelism", "4");
    Line($"service start (empty log): {upstream.StartSeconds:0.0} s");

    // 1. Build-submit latency: POST /api/v1/builds to its 202, one after another (each build then runs in the service).
    var submits = new List<double>();
    for (var i = 0; i < 200; i++)
    {
        var watch = Stopwatch.StartNew();
        using var response = await upstream.Http.PostAsJsonAsync("/api/v1/builds", new { partitions = new[] { $"a/s{i % 20}" } });
        submits.Add(watch.Elapsed.TotalMilliseconds);
        if ((int)response.StatusCode != 202) throw new InvalidOperationException($"submit: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
    Line($"build submit latency (200 POST /api/v1/builds): p50 {Percentile(submits, 50):0.0} ms, p95 {Percentile(submits, 95):0.0} ms, max {submits.Max():0.0} ms");

    // 2. Events delivered live to 10 long-poll followers: each waits at the head of the log; 30,000 events are appended.
    var head = await Head(upstream);
    const int liveEvents = 30_000;
    const int followers = 10;
    using var followStop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
    var appendStarted = 0L;
    var following = Enumerable.Range(0, followers).Select(_ => Task.Run(async () =>
    {
        var since = head;
        var seen = 0L;
        while (seen < liveEvents + 2)
        {
            var page = await upstream.Http.GetFromJsonAsync<JsonNode>($"/api/v1/events?since={since}&limit=1000&wait=30", followStop.Token);
            seen += page!["events"]!.AsArray().Count;
            since = Number(page["nextSinceIndex"]!);
        }
        return Stopwatch.GetElapsedTime(Interlocked.Read(ref appendStarted));
    })).ToArray();
    await Task.Delay(1000);
    Interlocked.Exchange(ref appendStarted, Stopwatch.GetTimestamp());
    // 6 events a run, so 5,000 runs; the writer is this process, through the access layer, as a second builder would be.
    CatalogLog.Write(small.LogPath, liveEvents / 6, tag: "live");
    var delivered = await Task.WhenAll(following);
    var slowest = delivered.Max().TotalSeconds;
    Line($"events delivered to {followers} long-poll followers: {liveEvents} events each in {slowest:0.00} s after the first append: " +
         $"{followers * liveEvents / slowest:0} events/s in all ({liveEvents / slowest:0} per follower, the writer included)");

    // 3. Cross-graph reaction: a downstream service's build of c/rK needs a/rK from the upstream service.
    using var downstreamGraph = new BenchGraph(upstream.Url);
    using var downstream = downstreamGraph.Serve("--parallelism", "4");
    var reactions = new List<double>();
    for (var k = 0; k < 10; k++)
    {
        var id = (await (await downstream.Http.PostAsJsonAsync("/api/v1/builds", new { partitions = new[] { $"c/r{k}" } })).Content.ReadFromJsonAsync<JsonNode>())!["buildRequestId"]!.GetValue<string>();
        var build = await WaitForBuild(downstream, id);
        if (build["status"]!.GetValue<string>() != "BUILD_REQUEST_COMPLETED") throw new InvalidOperationException($"downstream build: {build}");
        var available = (await Events(upstream, $"partition=a/r{k}")).First(e => e["partitionEvent"]?["status"]?.GetValue<string>() == "PARTITION_AVAILABLE");
        var running = (await Events(downstream, $"partition=c/r{k}")).First(e => e["jobEvent"]?["status"]?.GetValue<string>() == "JOB_RUNNING");
        reactions.Add((Number(running["timestamp"]!) - Number(available["timestamp"]!)) / 1e6);
    }
    Line($"cross-graph reaction (upstream AVAILABLE event to the downstream job's RUNNING event, 10 builds): p50 {Percentile(reactions, 50):0} ms, " +
         $"max {reactions.Max():0} ms (target: under 1000 ms)");
}

// 4. The catalog routes on a large catalog.
using var big = new BenchGraph();
var writing = Stopwatch.StartNew();
CatalogLog.Write(big.LogPath, catalogSize);
Line($"catalog of {catalogSize} partitions written ({catalogSize * 6 + 5} events) in {writing.Elapsed.TotalSeconds:0.0} s");
// The first call folds the whole log (it has no snapshot yet) and writes a snapshot; a service started again on the
// same log starts from that snapshot (issue 16).
using (var cold = big.Serve())
{
    Line($"service start on it: {cold.StartSeconds:0.0} s");
    Line($"first call (the service folds its views from the whole log, then writes a snapshot): {await FirstCall(cold):0.00} s");
}
using var catalog = big.Serve();
Line($"first call after a restart (the service starts from that snapshot): {await FirstCall(catalog):0.00} s");
var listed = await Throughput(catalog, 4, TimeSpan.FromSeconds(10), async (http, state) =>
{
    var page = await http.GetFromJsonAsync<JsonNode>($"/api/v1/partitions?pageSize=100{(state.Token is null ? "" : $"&pageToken={state.Token}")}");
    state.Token = page!["nextPageToken"]?.GetValue<string>() is { Length: > 0 } next ? next : null;
});
Line($"GET /api/v1/partitions (pages of 100, 4 clients): {listed:0} requests/s");
var random = new Random(14);
var one = await Throughput(catalog, 4, TimeSpan.FromSeconds(10), async (http, _) =>
{
    var n = random.Next(catalogSize);
    var detail = await http.GetFromJsonAsync<JsonNode>($"/api/v1/partitions/a/p{n}");
    if (n + 1 < catalogSize && (n + 1) % 10 != 0 && detail!["downstreams"]![0]!.GetValue<string>() != $"a/p{n + 1}") throw new InvalidOperationException($"lineage of a/p{n}: {detail}");
});
Line($"GET /api/v1/partitions/{{ref}} (with its lineage, 4 clients): {one:0} requests/s");
Line("(figures from a shared, loaded machine: other work ran beside this benchmark)");

File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "service-bench.txt"), report.ToString());
return 0;

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
}

static async Task<double> FirstCall(BenchGraph.Service service)
{
    var first = Stopwatch.StartNew();
    await service.Http.GetFromJsonAsync<JsonNode>("/api/v1/partitions?pageSize=1");
    return first.Elapsed.TotalSeconds;
}

static long Number(JsonNode node) => long.Parse(node.ToString(), CultureInfo.InvariantCulture);

static async Task<long> Head(BenchGraph.Service service)
{
    var since = 0L;
    while (true)
    {
        var page = await service.Http.GetFromJsonAsync<JsonNode>($"/api/v1/events?since={since}&limit=1000");
        since = Number(page!["nextSinceIndex"]!);
        if (!page["hasMore"]!.GetValue<bool>()) return since;
    }
}

static async Task<List<JsonNode>> Events(BenchGraph.Service service, string filter)
{
    var page = await service.Http.GetFromJsonAsync<JsonNode>($"/api/v1/events?since=0&limit=1000&{filter}");
    return page!["events"]!.AsArray().Select(e => e!["event"]!).ToList();
}

static async Task<JsonNode> WaitForBuild(BenchGraph.Service service, string id)
{
    var watch = Stopwatch.StartNew();
    while (true)
    {
        var build = (await service.Http.GetFromJsonAsync<JsonNode>($"/api/v1/builds/{id}"))!;
        if (Number(build["finishedAt"]!) > 0) return build;
        if (watch.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException($"build {id}: {build}");
        await Task.Delay(50);
    }
}

static async Task<double> Throughput(BenchGraph.Service service, int clients, TimeSpan duration, Func<HttpClient, ClientState, Task> call)
{
    try
    {
        return await Measure(service, clients, duration, call);
    }
    catch (HttpRequestException e)
    {
        throw new InvalidOperationException($"{e.Message}; the service said:\n{service.Output}", e);
    }
}

static async Task<double> Measure(BenchGraph.Service service, int clients, TimeSpan duration, Func<HttpClient, ClientState, Task> call)
{
    var stop = Stopwatch.StartNew();
    var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
    {
        var state = new ClientState();
        var count = 0;
        while (stop.Elapsed < duration)
        {
            await call(service.Http, state);
            count++;
        }
        return count;
    })));
    return counts.Sum() / stop.Elapsed.TotalSeconds;
}

internal sealed class ClientState
{
    public string? Token { get; set; }
}
