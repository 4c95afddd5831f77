using System.Security.Cryptography;
using System.Text;
using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>
/// Ids for wants and their events, for the wants of schedule ticks and for backfills. A want someone asks for gets a new time-ordered id. Everything else is
/// named after what it is about (a child want after its parent and ref, an event after its want and status),
/// so two reconcilers, or one restarted half-way, write the same ids, and the log, which keeps one event per
/// id, records each fact once.
/// </summary>
public static class WantIds
{
    public static string NewRoot(TimeProvider clock) => Guid.CreateVersion7(clock.GetUtcNow()).ToString();

    /// <summary>The want for <paramref name="partitionRef"/> that <paramref name="parentWantId"/>'s build found missing.</summary>
    public static string Child(string parentWantId, string partitionRef) => Derived("child-want", parentWantId, partitionRef);

    /// <summary>The want for the tick at <paramref name="scheduledTime"/> (Unix nanoseconds) of schedule <paramref name="scheduleId"/>: one per tick, whoever records it.</summary>
    public static string Tick(string scheduleId, long scheduledTime) =>
        Derived("schedule-tick", scheduleId, scheduledTime.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A backfill's id, from its templates as written: the same command resumes the same backfill.</summary>
    public static string Backfill(IEnumerable<string> templates) => Derived(["backfill", .. templates]);

    /// <summary>The id of the event moving a want to <paramref name="status"/>: a want reaches each status at most once.</summary>
    public static string Event(string wantId, WantStatus status) => Derived("want-event", wantId, ProtoNames.Of(status));

    // An RFC 9562 version 8 (custom) UUID from a SHA-256 of the parts.
    private static string Derived(params string[] parts)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
