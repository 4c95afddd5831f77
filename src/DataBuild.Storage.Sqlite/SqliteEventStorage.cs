using System.Collections.Concurrent;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using DataBuild.Refs;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using DataBuild.Events;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// The BEL in an SQLite file (<c>sqlite:&lt;path&gt;</c>). WAL lets readers go on while one writer
/// appends; each append is one <c>BEGIN IMMEDIATE</c> transaction, so batches from several processes are
/// serialised, atomic, and get dense indexes in commit order.
/// </summary>
public sealed partial class SqliteEventStorage : IEventStorage
{
    private const string LastIndexSql = "SELECT COALESCE(MAX(idx), 0) FROM events";
    private const string StoredIndexSql = "SELECT idx FROM events WHERE event_id = ?1";
    // One seek to the end of the event_id index (BINARY collation: bytewise UTF-8, as Utf8Order compares).
    private const string MaxEventIdSql = "SELECT max(event_id) FROM events";
    // Rows go in by statements of 64, 8 or 1 rows: one statement per row cost about as much again in
    // stepping and binding as the rows themselves. OR FAIL, not the default ABORT, so a statement of many
    // rows needs no statement journal to undo its own earlier rows: no conflict can happen under the write
    // lock after the plan, and any error rolls the whole transaction back anyway.
    private static readonly int[] RowsPerInsert = [64, 8, 1];
    private static readonly Dictionary<int, string> InsertEventSql = MultiRowInsert("events (idx, event_id, build_request_id, job_label, job_run_id, timestamp, payload)", 7);
    private static readonly Dictionary<int, string> InsertPartitionSql = MultiRowInsert("event_partitions (ref, idx)", 2);
    private static readonly Dictionary<int, string> InsertWantSql = MultiRowInsert("event_wants (want_id, idx)", 2);

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

        try
        {
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
        catch (SqliteException e) when (SqliteProblems.Describe(e, Path, "open", opening: true) is { } problem)
        {
            throw problem;
        }
    }

    public string Path { get; }

    public string Description => $"sqlite:{Path}";

    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null)
    {
        AppendPlan.Validate(events);
        if (events.Count == 0) return [];
        return WithSession("write to", session =>
        {
            using var transaction = session.Connection.BeginTransaction(deferred: false);
            var lastIndex = session.Statement(LastIndexSql).QueryInt64()!.Value;
            var storedIndex = session.Statement(StoredIndexSql);
            // Ids DataBuild makes are UUIDv7, increasing with time: a new batch's ids usually sort after every
            // stored one, and an id after the greatest stored one cannot be stored, so it needs no lookup.
            var maxStoredId = session.Statement(MaxEventIdSql).QueryText();
            var plan = AppendPlan.Create(events, lastIndex, id =>
            {
                if (maxStoredId is null || Utf8Order.Compare(id, maxStoredId) > 0) return null;
                storedIndex.Bind(1, id);
                return storedIndex.QueryInt64();
            });
            plan.RunGuard(guard, (since, limit) =>
            {
                EventPaging.ValidateArguments(since, new EventFilter(), limit);
                return ListIn(session, transaction, since, new EventFilter(), [], limit);
            });
            Insert(session, plan);
            transaction.Commit();
            return plan.Indexes;
        });
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        EventPaging.ValidateArguments(sinceIndex, filter, limit);
        var patterns = EventFilterMatcher.ParsePatterns(filter);
        return WithSession("read", session =>
        {
            // One read transaction: the page and the highest committed index come from the same snapshot.
            using var transaction = session.Connection.BeginTransaction(deferred: true);
            var page = ListIn(session, transaction, sinceIndex, filter, patterns, limit);
            ThrowIfCompactedBelow(session, sinceIndex, page.Events);
            transaction.Commit();
            return page;
        });
    }

    /// <summary>Polls: nothing tells an SQLite file's readers about another process's append.</summary>
    public Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        EventPolling.WaitAsync(this, sinceIndex, timeout, cancellationToken);

    public void Dispose()
    {
        _disposed = true;
        foreach (var session in _allSessions.Keys) Discard(session);
    }

    public override string ToString() => Description;

    private static EventPage ListIn(SqliteSession session, SqliteTransaction transaction, long sinceIndex, EventFilter filter,
        IReadOnlyList<PartitionPattern> patterns, int limit)
    {
        session.UsePatterns(patterns);
        var globsBySideTable = patterns.Count > 0 && FewRefsInPrefixRanges(session, transaction, patterns, limit);
        var query = SqliteFilterQuery.For(filter, patterns, globsBySideTable);
        var events = new List<StoredEvent>();
        var statement = session.Query(query.Sql);
        try
        {
            if (query.HasSince) statement.Bind(SqliteFilterQuery.SinceParameter, sinceIndex);
            if (query.HasLimit) statement.Bind(SqliteFilterQuery.LimitParameter, (long)limit);
            foreach (var (name, value) in query.Parameters) statement.Bind(name, value);
            while (events.Count < limit && statement.Step())
            {
                var buildEvent = BuildEvent.Parser.ParseFrom(statement.ColumnBlob(1));
                if (query.LeavesGlobsToCaller && !EventKeys.Of(buildEvent).PartitionRefs.Any(r => patterns.Any(p => p.IsMatch(r)))) continue;
                events.Add(new StoredEvent { Index = statement.ColumnInt64(0), Event = buildEvent });
            }
        }
        finally
        {
            statement.Reset();
        }
        var lastIndex = events.Count >= limit ? 0 : session.Statement(LastIndexSql).QueryInt64()!.Value;
        return EventPaging.Create(events, limit, sinceIndex, lastIndex);
    }

    // Seeking the prefix ranges costs a step per ref in them on every page; reading events in order costs
    // about a page's worth when matches are common, and a full scan once over all pages when they are
    // rare. Past a few pages' worth of refs in the ranges, reading in order is the cheaper way.
    private static bool FewRefsInPrefixRanges(SqliteSession session, SqliteTransaction transaction, IReadOnlyList<PartitionPattern> patterns, int limit)
    {
        if (SqliteFilterQuery.PrefixRangeCount(patterns) is not { } count) return false;
        var cap = Math.Max(1_000, 10L * limit);
        return (long)CommandFor(session, transaction, count, 0, cap).ExecuteScalar()! < cap;
    }

    private static SqliteCommand CommandFor(SqliteSession session, SqliteTransaction transaction, SqliteFilterQuery query, long sinceIndex, long limit)
    {
        var names = query.Parameters.Select(p => p.Key);
        if (query.HasSince) names = names.Append(SqliteFilterQuery.SinceParameter);
        if (query.HasLimit) names = names.Append(SqliteFilterQuery.LimitParameter);
        var command = session.Command(query.Sql, transaction, names);
        if (query.HasSince) command.Parameters[SqliteFilterQuery.SinceParameter].Value = sinceIndex;
        if (query.HasLimit) command.Parameters[SqliteFilterQuery.LimitParameter].Value = limit;
        foreach (var (name, value) in query.Parameters) command.Parameters[name].Value = value;
        return command;
    }

    private static void Insert(SqliteSession session, AppendPlan plan)
    {
        var events = plan.NewEvents;
        var partitions = new List<(string Value, long Index)>(events.Count);
        var wants = new List<(string Value, long Index)>();
        var payload = new byte[256];
        for (var done = 0; done < events.Count;)
        {
            var rows = RowsFor(events.Count - done);
            var insert = session.Statement(InsertEventSql[rows]);
            for (var row = 0; row < rows; row++, done++)
            {
                var buildEvent = events[done];
                var index = plan.FirstNewIndex + done;
                var keys = EventKeys.Of(buildEvent);
                var first = row * 7;
                insert.Bind(first + 1, index);
                insert.Bind(first + 2, buildEvent.EventId);
                insert.Bind(first + 3, keys.BuildRequestId);
                insert.Bind(first + 4, keys.JobLabel);
                insert.Bind(first + 5, keys.JobRunId);
                insert.Bind(first + 6, buildEvent.Timestamp);
                var size = buildEvent.CalculateSize();
                if (size > payload.Length) payload = new byte[Math.Max(size, 2 * payload.Length)];
                buildEvent.WriteTo(payload.AsSpan(0, size));
                insert.Bind(first + 7, payload.AsSpan(0, size));
                foreach (var partitionRef in keys.PartitionRefs) partitions.Add((partitionRef, index));
                foreach (var wantId in keys.WantIds) wants.Add((wantId, index));
            }
            insert.Execute();
        }
        InsertKeys(session, InsertPartitionSql, partitions);
        InsertKeys(session, InsertWantSql, wants);
    }

    private static void InsertKeys(SqliteSession session, Dictionary<int, string> sql, List<(string Value, long Index)> keys)
    {
        for (var done = 0; done < keys.Count;)
        {
            var rows = RowsFor(keys.Count - done);
            var insert = session.Statement(sql[rows]);
            for (var row = 0; row < rows; row++, done++)
            {
                insert.Bind(row * 2 + 1, keys[done].Value);
                insert.Bind(row * 2 + 2, keys[done].Index);
            }
            insert.Execute();
        }
    }

    private static int RowsFor(int left)
    {
        foreach (var rows in RowsPerInsert)
            if (rows <= left) return rows;
        throw new ArgumentOutOfRangeException(nameof(left));
    }

    private static Dictionary<int, string> MultiRowInsert(string tableAndColumns, int columns) =>
        RowsPerInsert.ToDictionary(rows => rows, rows => $"INSERT OR FAIL INTO {tableAndColumns} VALUES " + string.Join(", ",
            Enumerable.Range(0, rows).Select(row => "(" + string.Join(", ", Enumerable.Range(row * columns + 1, columns).Select(p => $"?{p}")) + ")")));

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

    private T WithSession<T>(string verb, Func<SqliteSession, T> work)
    {
        var session = Rent();
        try
        {
            var result = work(session);
            Return(session);
            return result;
        }
        catch (Exception e)
        {
            // A failed command may leave the connection mid-transaction; a fresh one is cheaper than doubt.
            Discard(session);
            if (e is SqliteException sqlite && SqliteProblems.Describe(sqlite, Path, verb) is { } problem) throw problem;
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
