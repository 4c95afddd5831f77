using System.Net.Sockets;
using DataBuild.Proto;
using Google.Protobuf;
using Npgsql;
using NpgsqlTypes;
using Task = System.Threading.Tasks.Task;
using DataBuild.Events;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// The BEL in a PostgreSQL database (<c>postgres:&lt;connection string&gt;</c>), shared by any number of
/// processes on any number of machines. Each append is one transaction that first takes a transaction-scoped
/// advisory lock on the log, then gives its events the indexes after the highest committed one: appends are
/// serialised, and an append commits before the next one can take its indexes, so indexes are dense and in
/// commit order (a plain sequence is not: a later number can commit first, and a reader polling "since N"
/// would skip the earlier one). Each append notifies the log's channel, so followers wake without polling.
/// A unit of work that fails because the connection or the server went away is retried whole (<see cref="PostgresRetry"/>).
/// </summary>
public sealed partial class PostgresEventStorage : IEventStorage
{
    // "DBEL" in the first key of a two-key advisory lock; the second is the events table's oid, so logs in
    // different schemas of one database do not wait for each other.
    private const int AppendLockClass = 0x4442454C;

    private const string LastIndexSql = "SELECT COALESCE(max(idx), 0) FROM bel_events";
    private const string StoredIndexesSql = "SELECT event_id, idx FROM bel_events WHERE event_id = ANY($1)";
    private const string InsertEventsSql = """
        INSERT INTO bel_events (idx, event_id, build_request_id, job_label, job_run_id, timestamp_ns, payload)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bytea[])
        """;
    private const string InsertPartitionsSql = "INSERT INTO bel_event_partitions (ref, idx) SELECT * FROM unnest($1::text[], $2::bigint[])";
    private const string InsertWantsSql = "INSERT INTO bel_event_wants (want_id, idx) SELECT * FROM unnest($1::text[], $2::bigint[])";

    private static readonly PostgresFilterQuery EveryEvent = PostgresFilterQuery.For(new EventFilter(), []);

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresRetry _retry;
    private readonly PostgresNotificationListener _listener;
    private readonly int _lockKey;

    /// <param name="connectionString">An Npgsql connection string; the log lives in the first existing schema of its search path.</param>
    /// <param name="retryFor">How long a unit of work keeps being retried while the server is unreachable; 30 s by default.</param>
    /// <param name="onWarning">Told once when the server does not answer at open and the open is being retried; standard error by default.</param>
    /// <exception cref="EventStorageUnavailableException">The server cannot be reached within <paramref name="retryFor"/>, its host does not exist, or it refuses the connection.</exception>
    public PostgresEventStorage(string connectionString, TimeSpan? retryFor = null, Action<string>? onWarning = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"postgres:{new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null, SslPassword = null }}";
        _dataSource = NpgsqlDataSource.Create(builder);
        var budget = retryFor ?? TimeSpan.FromSeconds(30);
        _retry = new PostgresRetry(_dataSource, budget);
        try
        {
            var warned = false;
            var eventsTable = _retry.Run(() =>
            {
                using var connection = _dataSource.OpenConnection();
                return PostgresEventSchema.EnsureCurrent(connection, Description, PostgresMigration.All);
            }, failure =>
            {
                // A host that does not exist will not appear by waiting: say so now rather than after the budget.
                if (IsUnknownHost(failure)) throw Unavailable(builder, failure);
                if (warned) return;
                warned = true;
                (onWarning ?? Console.Error.WriteLine)(
                    $"databuild: PostgreSQL at {Endpoint(builder)} does not answer ({Reason(failure)}); retrying for up to {budget.TotalSeconds:0} s (Ctrl-C twice to give up).");
            });
            _lockKey = unchecked((int)eventsTable);
            Channel = $"databuild_bel_{eventsTable}";
        }
        catch (NpgsqlException e)
        {
            _dataSource.Dispose();
            throw Unavailable(builder, e);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
        _listener = new PostgresNotificationListener(_dataSource, Channel);
    }

    private EventStorageUnavailableException Unavailable(NpgsqlConnectionStringBuilder builder, Exception failure) =>
        new($"cannot open the BEL {Description}: PostgreSQL at {Endpoint(builder)}: {Reason(failure)}.", failure);

    private static string Endpoint(NpgsqlConnectionStringBuilder builder) => $"{builder.Host}:{builder.Port}";

    // Npgsql's own message ("Failed to connect to …") repeats the endpoint; the socket's or server's says why.
    private static string Reason(Exception failure) => failure switch
    {
        PostgresException server => $"{server.SqlState}: {server.MessageText}",
        { InnerException: SocketException socket } => socket.Message,
        _ => failure.Message,
    };

    private static bool IsUnknownHost(Exception failure) =>
        failure.InnerException is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData };

    /// <summary>The connection string without its password, after <c>postgres:</c>.</summary>
    public string Description { get; }

    /// <summary>The channel each append notifies with its last index, for <c>LISTEN</c>.</summary>
    public string Channel { get; }

    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null)
    {
        AppendPlan.Validate(events);
        if (events.Count == 0) return [];
        var ids = events.Select(e => e.EventId).Distinct(StringComparer.Ordinal).ToArray();
        return _retry.Run(() =>
        {
            using var connection = _dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            var (lastIndex, stored) = LockAndReadLastIndexAndStored(connection, ids);
            var plan = AppendPlan.Create(events, lastIndex, id => stored.TryGetValue(id, out var index) ? index : null);
            plan.RunGuard(guard, (since, limit) =>
            {
                EventPaging.ValidateArguments(since, new EventFilter(), limit);
                return ListIn(connection, EveryEvent, since, limit);
            });
            if (plan.NewEvents.Count > 0) Insert(connection, plan);
            transaction.Commit();
            return plan.Indexes;
        });
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        EventPaging.ValidateArguments(sinceIndex, filter, limit);
        var query = PostgresFilterQuery.For(filter, EventFilterMatcher.ParsePatterns(filter));
        return _retry.Run(() =>
        {
            using var connection = _dataSource.OpenConnection();
            var page = ListIn(connection, query, sinceIndex, limit);
            ThrowIfCompactedBelow(connection, Description, sinceIndex, page.Events);
            return page;
        });
    }

    public async Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceIndex);
        using var timeLeft = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeLeft.CancelAfter(timeout);
        try
        {
            while (true)
            {
                var woken = _listener.NextWake();
                if (LastIndex() > sinceIndex) return;
                await woken.WaitAsync(timeLeft.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _dataSource.Dispose();
    }

    public override string ToString() => Description;

    private long LastIndex() => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand(LastIndexSql, connection);
        return (long)command.ExecuteScalar()!;
    });

    // One round trip. The lock comes first and the reads after it: at READ COMMITTED each statement takes its
    // snapshot as it starts, which is once the lock is held, so they see the append that held it before.
    private (long LastIndex, Dictionary<string, long> Stored) LockAndReadLastIndexAndStored(NpgsqlConnection connection, string[] ids)
    {
        using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AppendLockClass}, {_lockKey})"),
                new NpgsqlBatchCommand(LastIndexSql),
                new NpgsqlBatchCommand(StoredIndexesSql) { Parameters = { new NpgsqlParameter<string[]> { TypedValue = ids } } },
            },
        };
        using var reader = batch.ExecuteReader();
        reader.NextResult();
        reader.Read();
        var lastIndex = reader.GetInt64(0);
        reader.NextResult();
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.Read()) stored[reader.GetString(0)] = reader.GetInt64(1);
        return (lastIndex, stored);
    }

    private static EventPage ListIn(NpgsqlConnection connection, PostgresFilterQuery query, long sinceIndex, int limit)
    {
        using var command = new NpgsqlCommand(query.Sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sinceIndex });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        foreach (var value in query.Parameters) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var lastIndex = 0L;
        var events = new List<StoredEvent>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                lastIndex = reader.GetInt64(0);
                if (reader.IsDBNull(1)) continue;
                events.Add(new StoredEvent { Index = reader.GetInt64(1), Event = BuildEvent.Parser.ParseFrom(reader.GetFieldValue<byte[]>(2)) });
            }
        }
        return EventPaging.Create(events, limit, sinceIndex, lastIndex);
    }

    private void Insert(NpgsqlConnection connection, AppendPlan plan)
    {
        var count = plan.NewEvents.Count;
        var indexes = new long[count];
        var eventIds = new string[count];
        var buildRequestIds = new string?[count];
        var jobLabels = new string?[count];
        var jobRunIds = new string?[count];
        var timestamps = new long[count];
        var payloads = new byte[count][];
        var partitionRefs = new List<string>();
        var partitionIndexes = new List<long>();
        var wantIds = new List<string>();
        var wantIndexes = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var buildEvent = plan.NewEvents[i];
            var keys = EventKeys.Of(buildEvent);
            var index = plan.FirstNewIndex + i;
            indexes[i] = index;
            eventIds[i] = buildEvent.EventId;
            buildRequestIds[i] = keys.BuildRequestId;
            jobLabels[i] = keys.JobLabel;
            jobRunIds[i] = keys.JobRunId;
            timestamps[i] = buildEvent.Timestamp;
            payloads[i] = buildEvent.ToByteArray();
            foreach (var partitionRef in keys.PartitionRefs)
            {
                partitionRefs.Add(partitionRef);
                partitionIndexes.Add(index);
            }
            foreach (var wantId in keys.WantIds)
            {
                wantIds.Add(wantId);
                wantIndexes.Add(index);
            }
        }
        using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command(InsertEventsSql, indexes, eventIds, buildRequestIds, jobLabels, jobRunIds, timestamps,
                    new NpgsqlParameter<byte[][]> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea, TypedValue = payloads }),
                Command(InsertPartitionsSql, partitionRefs.ToArray(), partitionIndexes.ToArray()),
                Command(InsertWantsSql, wantIds.ToArray(), wantIndexes.ToArray()),
                // Delivered at commit, and only if it commits.
                Command("SELECT pg_notify($1, $2)", Channel, indexes[^1].ToString(System.Globalization.CultureInfo.InvariantCulture)),
            },
        };
        batch.ExecuteNonQuery();
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(parameter as NpgsqlParameter ?? new NpgsqlParameter { Value = parameter });
        return command;
    }
}
