using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

using DataBuild.Events;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// SQLite errors that make a log unusable as it stands (it cannot be opened, is damaged, or is read-only),
/// said in words, as <see cref="EventStorageUnavailableException"/>: the user can do something about them,
/// so they are no "unexpected error". Other errors (a busy timeout, a full disk) stay what they are.
/// </summary>
internal static class SqliteProblems
{
    /// <summary>
    /// The error as one the user can act on, or null. While <paramref name="opening"/>, a full disk or an I/O
    /// error is one too: nothing has been written yet, so the log is merely out of reach.
    /// </summary>
    public static EventStorageUnavailableException? Describe(SqliteException e, string path, string verb, bool opening = false) =>
        (e.SqliteErrorCode switch
        {
            SQLITE_FULL or SQLITE_IOERR when opening => $"the disk is full or failing (SQLite reports '{e.Message.Split(": ", 2)[^1].Trim('\'', '.')}')",
            SQLITE_CANTOPEN when Directory.Exists(path) => "it is a folder, not a file",
            SQLITE_CANTOPEN => "the file cannot be opened or created here (is its folder writable, and a real file system?)",
            SQLITE_CORRUPT => "the database file is damaged (truncated or corrupt): SQLite reports 'database disk image is malformed'",
            SQLITE_NOTADB => "it is not an SQLite database",
            SQLITE_READONLY => "the file is read-only (or on a read-only file system), and this command writes to the log",
            SQLITE_PERM or SQLITE_AUTH => "permission denied",
            _ => null,
        }) is { } reason
            ? new EventStorageUnavailableException($"cannot {verb} the BEL sqlite:{path}: {reason}", e)
            : null;
}
