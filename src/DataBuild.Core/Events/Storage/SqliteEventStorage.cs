using System.Collections.Concurrent;
using DataBuild.Proto;
using Google.Protobuf;
using Microsoft.Data.Sqlite;

namespace DataBuild.Events.Storage;

/// <summary>
/// The BEL in an SQLite file (<c>sqlite:&lt;path&gt;</c>). WAL lets readers go on while one writer
/// appends; each append is one <c>BEGIN IMMEDIATE</c> transaction, so batches from several processes are
/// serialised, atomic, and get dense indexes in commit order.
/// </summary>
public sealed class SqliteEventStorage : IEventStorage
{
    private const string LastIndexSql = "SELECT COALESCE(MAX(idx), 0) FROM events";
    private static readonly string[] EventColumns = ["idx", "event_id", "build_request_id", "job_label", "job_run_id", "timestamp", "payload"];
    private static readonly string[] PartitionColumns = ["ref", "idx"];
    private static readonly string[] WantColumns = ["want_id", "idx"];
    private static readonly string StoredIndexesSql =
        $"SELECT event_id, idx FROM events WHERE event_id IN ({string.Join(", ", SqliteBulkInsert.ParameterNames(1, SqliteBulkInsert.RowsPerStatement))})";

    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout;
    private readonly ConcurrentBag<SqliteSession> _idleSessions = [];
    private readonly ConcurrentDictionary<SqliteSession, bool> _allSessions = new();
    private volatile bool _disposed;

    /// <param name="path">The database file; it and its folder are created when missing.</param>
    /// <param name="busyTimeout">How long an append waits for another process's append to finish; 60 s by default.</param>
    public SqliteEventStorage(string path, TimeSpan? busyTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(60);
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Sessions are pooled here; a second pool would keep the file open after Dispose.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(_busyTimeout.TotalSeconds),
        }.ToString();

        var session = Rent();
        try
        {
            SqliteEventSchema.EnsureCreated(session.Connection, Path);
            EnableWriteAheadLog(session.Connection);
        }
        catch
        {
            Discard(session);
            throw;
        }
        Return(session);
    }

    public static double T_lookup, T_plan, T_insert, T_commit;
    public string Path { get; }

    public string Description => $"sqlite:{Path}";

    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null)
    {
        AppendPlan.Validate(events);
        if (events.Count == 0) return [];
        return WithSession(session =>
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            using var transaction = session.Connection.BeginTransaction(deferred: false);
            var lastIndex = (long)session.Command(LastIndexSql, transaction).ExecuteScalar()!;
            var stored = StoredIndexes(session, transaction, events);
            T_lookup += sw.Elapsed.TotalMilliseconds; sw.Restart();
            var plan = AppendPlan.Create(events, lastIndex, id => stored.TryGetValue(id, out var index) ? index : null);
            plan.RunGuard(guard, (since, limit) =>
            {
                EventPaging.ValidateArguments(since, new EventFilter(), limit);
                return ListIn(session, transaction, since, SqliteFilterQuery.For(new EventFilter()), limit);
            });
            T_plan += sw.Elapsed.TotalMilliseconds; sw.Restart();
            Insert(session, transaction, plan);
            T_insert += sw.Elapsed.TotalMilliseconds; sw.Restart();
            transaction.Commit();
            T_commit += sw.Elapsed.TotalMilliseconds;
            return plan.Indexes;
        });
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        EventPaging.ValidateArguments(sinceIndex, filter, limit);
        var query = SqliteFilterQuery.For(filter);
        return WithSession(session =>
        {
            // One read transaction: the page and the highest committed index come from the same snapshot.
            using var transaction = session.Connection.BeginTransaction(deferred: true);
            var page = ListIn(session, transaction, sinceIndex, query, limit);
            transaction.Commit();
            return page;
        });
    }

    public void Dispose()
    {
        _disposed = true;
        foreach (var session in _allSessions.Keys) Discard(session);
    }

    public override string ToString() => Description;

    private static EventPage ListIn(SqliteSession session, SqliteTransaction transaction, long sinceIndex, SqliteFilterQuery query, int limit)
    {
        var command = session.Command(query.Sql, transaction,
            query.Parameters.Select(p => p.Key).Prepend(SqliteFilterQuery.LimitParameter).Prepend(SqliteFilterQuery.SinceParameter));
        command.Parameters[SqliteFilterQuery.SinceParameter].Value = sinceIndex;
        command.Parameters[SqliteFilterQuery.LimitParameter].Value = limit;
        foreach (var (name, value) in query.Parameters) command.Parameters[name].Value = value;
        session.UsePatterns(query.Patterns);

        var events = new List<StoredEvent>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var payload = reader.GetFieldValue<byte[]>(1);
                events.Add(new StoredEvent { Index = reader.GetInt64(0), Event = BuildEvent.Parser.ParseFrom(payload) });
            }
        }
        var lastIndex = events.Count >= limit ? 0 : (long)session.Command(LastIndexSql, transaction).ExecuteScalar()!;
        return EventPaging.Create(events, limit, sinceIndex, lastIndex);
    }

    private static Dictionary<string, long> StoredIndexes(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<BuildEvent> events)
    {
        var stored = new Dictionary<string, long>(StringComparer.Ordinal);
        var command = session.Command(StoredIndexesSql, transaction, SqliteBulkInsert.ParameterNames(1, SqliteBulkInsert.RowsPerStatement));
        foreach (var chunk in events.Select(e => e.EventId).Distinct(StringComparer.Ordinal).Chunk(SqliteBulkInsert.RowsPerStatement))
        {
            // A short last chunk repeats its first id: the statement stays the one prepared.
            for (var i = 0; i < SqliteBulkInsert.RowsPerStatement; i++) command.Parameters[i].Value = chunk[i < chunk.Length ? i : 0];
            using var reader = command.ExecuteReader();
            while (reader.Read()) stored[reader.GetString(0)] = reader.GetInt64(1);
        }
        return stored;
    }

    private static void Insert(SqliteSession session, SqliteTransaction transaction, AppendPlan plan)
    {
        var events = new List<object?[]>(plan.NewEvents.Count);
        var partitions = new List<object?[]>();
        var wants = new List<object?[]>();
        var index = plan.FirstNewIndex;
        foreach (var buildEvent in plan.NewEvents)
        {
            var keys = EventKeys.Of(buildEvent);
            events.Add([index, buildEvent.EventId, keys.BuildRequestId, keys.JobLabel, keys.JobRunId, buildEvent.Timestamp, buildEvent.ToByteArray()]);
            foreach (var partitionRef in keys.PartitionRefs) partitions.Add([partitionRef, index]);
            foreach (var wantId in keys.WantIds) wants.Add([wantId, index]);
            index++;
        }
        SqliteBulkInsert.Insert(session, transaction, "events", EventColumns, events);
        SqliteBulkInsert.Insert(session, transaction, "event_partitions", PartitionColumns, partitions);
        SqliteBulkInsert.Insert(session, transaction, "event_wants", WantColumns, wants);
    }

    // WAL is a property of the file, set once; switching needs no other connection mid-transaction, and a
    // concurrent opener that loses the race finds it already set.
    private static void EnableWriteAheadLog(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        if (string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase)) return;
        command.CommandText = "PRAGMA journal_mode = WAL";
        var mode = command.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new IOException($"sqlite:{connection.DataSource}: could not switch to WAL journaling (got '{mode}').");
    }

    private T WithSession<T>(Func<SqliteSession, T> work)
    {
        var session = Rent();
        try
        {
            var result = work(session);
            Return(session);
            return result;
        }
        catch
        {
            // A failed command may leave the connection mid-transaction; a fresh one is cheaper than doubt.
            Discard(session);
            throw;
        }
    }

    private SqliteSession Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idleSessions.TryTake(out var session)) return session;
        session = new SqliteSession(_connectionString, _busyTimeout);
        _allSessions[session] = true;
        return session;
    }

    private void Return(SqliteSession session)
    {
        if (_disposed) Discard(session);
        else _idleSessions.Add(session);
    }

    private void Discard(SqliteSession session)
    {
        _allSessions.TryRemove(session, out _);
        session.Dispose();
    }
}
