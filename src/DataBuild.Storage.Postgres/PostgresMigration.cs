using DataBuild.Events.Storage;

namespace DataBuild.Storage.Postgres;

/// <summary>The steps of the PostgreSQL BEL schema (<see cref="SqlSchemaStep"/>), applied by <see cref="PostgresEventSchema"/>.</summary>
internal static class PostgresMigration
{
    /// <summary>
    /// The snapshot of the views (docs/event-log.md#snapshots): one row, replaced only by one covering further. Not
    /// a step: it is a cache beside the log, made by the first snapshot written, and a DataBuild that knows nothing
    /// of it reads the log as before.
    /// </summary>
    public const string CreateViewSnapshot = """
        CREATE TABLE IF NOT EXISTS bel_view_snapshot (
            slot integer PRIMARY KEY CHECK (slot = 1),
            view_schema_version integer NOT NULL,
            covered_index bigint NOT NULL,
            payload bytea NOT NULL
        );
        CREATE TABLE IF NOT EXISTS bel_view_snapshot_history (
            chunk_id text PRIMARY KEY,
            payload bytea NOT NULL
        )
        """;

    /// <summary>
    /// Every step, oldest first. Tables go into the connection's current schema (the first of its search path),
    /// so several logs can share a database, one schema each.
    /// </summary>
    public static readonly IReadOnlyList<SqlSchemaStep> All =
    [
        // Each event once: its protobuf bytes and its single-valued keys (EventKeys); the side tables hold the
        // multi-valued ones. Indexes are keyed by value then index, so a filter seeks straight to the events
        // after a cursor that carry a value, and the side tables also by index, so the planner can instead
        // walk events in order and probe them. "C" ordering is code point order: a glob's literal prefix is
        // a range of it, as in SQLite.
        new(1, """
            CREATE TABLE bel_events (
                idx bigint PRIMARY KEY,
                event_id text COLLATE "C" NOT NULL UNIQUE,
                build_request_id text COLLATE "C",
                job_label text COLLATE "C",
                job_run_id text COLLATE "C",
                timestamp_ns bigint NOT NULL,
                payload bytea NOT NULL
            );
            CREATE INDEX bel_events_by_build_request ON bel_events (build_request_id, idx);
            CREATE INDEX bel_events_by_job_label ON bel_events (job_label, idx);
            CREATE INDEX bel_events_by_job_run ON bel_events (job_run_id, idx);
            CREATE TABLE bel_event_partitions (ref text COLLATE "C" NOT NULL, idx bigint NOT NULL, PRIMARY KEY (ref, idx));
            CREATE INDEX bel_event_partitions_by_idx ON bel_event_partitions (idx);
            CREATE TABLE bel_event_wants (want_id text COLLATE "C" NOT NULL, idx bigint NOT NULL, PRIMARY KEY (want_id, idx));
            CREATE INDEX bel_event_wants_by_idx ON bel_event_wants (idx);
            """),
        // Job-run logs (docs/event-log.md#run-logs): each run's log file in chunks at their byte offsets, as a build
        // copies it while the run is live; the last one says the log is complete. Keyed as a read seeks: a run, then
        // the chunk at or before an offset, then those after it.
        new(2, """
            CREATE TABLE bel_run_log_chunks (
                job_run_id text COLLATE "C" NOT NULL,
                byte_offset bigint NOT NULL,
                bytes bytea NOT NULL,
                complete boolean NOT NULL,
                PRIMARY KEY (job_run_id, byte_offset)
            );
            """),
    ];
}
