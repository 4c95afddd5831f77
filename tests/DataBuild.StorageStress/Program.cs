using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Storage.Delta;
using DataBuild.Storage.Postgres;
using DataBuild.Storage.Sqlite;

// Usage:
//   append <storage-uri> <writer> <batches> <batch-size> [<go-file>]   append that many batches, then exit
//   loop <storage-uri> <writer> <batch-size>                           append batches until killed
//   follow <storage-uri> <since> <count> [<pattern>]                   follow the log until <count> events
// With a go-file it prints "ready" and waits for the file to exist before it opens the storage, so a test
// can have several writers create and append to one log at the same moment. After each committed batch it prints "committed <batch>",
// so a test knows what must have survived.
// Event ids are "<writer>/<batch>/<n>", so a reader can tell which batch every event belongs to.
// A follower prints "ready" once it has opened the storage, then "<index> <event id>" for each event after
// <since> (matching <pattern>, when given) as it is committed, and exits after <count> of them.
EventStorage.Register(SqliteStorageProvider.Instance, PostgresStorageProvider.Instance, DeltaStorageProvider.Instance);
if (args is ["follow", var followUri, var since, var count, ..])
    return await FollowAsync(followUri, long.Parse(since), int.Parse(count), args.Length > 4 ? args[4] : null);
if (args.Length < 4 || args[0] is not ("append" or "loop"))
{
    Console.Error.WriteLine("usage: append <uri> <writer> <batches> <batch-size> [<go-file>] | loop <uri> <writer> <batch-size> | follow <uri> <since> <count> [<pattern>]");
    return 2;
}
var uri = args[1];
var writer = args[2];
var batches = args[0] == "append" ? int.Parse(args[3]) : int.MaxValue;
var batchSize = int.Parse(args[0] == "append" ? args[4] : args[3]);
var goFile = args[0] == "append" && args.Length > 5 ? args[5] : null;

if (goFile is not null)
{
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    while (!File.Exists(goFile)) Thread.Sleep(1);
}
using var storage = EventStorage.Open(uri);
for (var batch = 0; batch < batches; batch++)
{
    var events = new List<BuildEvent>(batchSize);
    for (var n = 0; n < batchSize; n++)
    {
        events.Add(new BuildEvent
        {
            EventId = $"{writer}/{batch}/{n}",
            Timestamp = DateTime.UtcNow.Ticks,
            BuildRequestId = writer,
            SchemaVersion = EventSchema.CurrentVersion,
            PartitionEvent = new PartitionEvent
            {
                PartitionRef = new PartitionRef { Str = $"stress/writer={writer}/batch={batch}/n={n}" },
                Status = PartitionStatus.PartitionBuilding,
                Message = new string('x', 200),
            },
        });
    }
    storage.Append(events);
    Console.Out.WriteLine($"committed {batch}");
    Console.Out.Flush();
    // Writers sharing a log work between appends; without a pause, whoever holds the lock keeps winning
    // it back. A writer looping until killed does not pause, so the kill most likely lands mid-append.
    if (args[0] == "append") Thread.Sleep(2);
}
return 0;

static async Task<int> FollowAsync(string uri, long since, int count, string? pattern)
{
    var filter = new EventFilter();
    if (pattern is not null) filter.PartitionPatterns.Add(pattern);
    using var storage = EventStorage.Open(uri);
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    var seen = 0;
    await foreach (var stored in storage.FollowAsync(since, filter))
    {
        Console.Out.WriteLine($"{stored.Index} {stored.Event.EventId}");
        Console.Out.Flush();
        if (++seen == count) break;
    }
    return 0;
}
