using Google.Protobuf.Collections;

namespace DataBuild.Events;

/// <summary>
/// The string table of a <see cref="Proto.ViewSnapshot"/>: writing gives each distinct string one position
/// (0 is always the empty string, so an unset int32 field reads as ""); reading gives each position one
/// string instance, so the views loaded from a snapshot share one copy of every ref, id and label; read through a
/// <see cref="StringPool"/>, the pool's, so the events folded after the snapshot share them too.
/// </summary>
public sealed class SnapshotStrings
{
    private readonly RepeatedField<string> _table;
    private readonly Dictionary<string, int>? _positions;
    private readonly StringPool? _pool;
    // The pool's instance at each position, taken on first use: the table holds the validator's strings too.
    private readonly string?[]? _pooled;

    private SnapshotStrings(RepeatedField<string> table, bool writing)
    {
        _table = table;
        if (!writing) return;
        _positions = new Dictionary<string, int>(StringComparer.Ordinal);
        table.Clear();
        Id("");
    }

    /// <summary>A table to fill: <see cref="Id"/> adds each new string to <paramref name="table"/>.</summary>
    public static SnapshotStrings ForWriting(RepeatedField<string> table) => new(table, writing: true);

    /// <summary>A table to read positions from; throws <see cref="InvalidDataException"/> when it does not start with "".</summary>
    public static SnapshotStrings ForReading(RepeatedField<string> table) =>
        table.Count > 0 && table[0].Length == 0 ? new(table, writing: false) : throw new InvalidDataException("the string table does not start with the empty string");

    /// <summary>A table to read positions from, each string the instance <paramref name="pool"/> holds (added to it when new).</summary>
    internal static SnapshotStrings ForReading(RepeatedField<string> table, StringPool pool) => new(ForReading(table), pool);

    private SnapshotStrings(SnapshotStrings reading, StringPool pool)
    {
        _table = reading._table;
        _pool = pool;
        _pooled = new string?[_table.Count];
    }

    /// <summary>The position of <paramref name="text"/>, added when new.</summary>
    public int Id(string text)
    {
        if (_positions!.TryGetValue(text, out var position)) return position;
        position = _table.Count;
        _table.Add(text);
        _positions[text] = position;
        return position;
    }

    /// <summary>The string at <paramref name="position"/>; throws <see cref="InvalidDataException"/> for a position the table lacks.</summary>
    public string this[int position] =>
        (uint)position >= (uint)_table.Count ? throw new InvalidDataException($"string {position} is not in the snapshot's table of {_table.Count}")
        : _pooled is null ? _table[position]
        : _pooled[position] ??= _pool!.Intern(_table[position]);

    /// <summary>The strings at <paramref name="positions"/>, in order.</summary>
    public string[] All(RepeatedField<int> positions)
    {
        if (positions.Count == 0) return [];
        var strings = new string[positions.Count];
        for (var i = 0; i < strings.Length; i++) strings[i] = this[positions[i]];
        return strings;
    }

    /// <summary>Adds the position of each of <paramref name="texts"/> to <paramref name="positions"/>.</summary>
    public void AddAll(RepeatedField<int> positions, IEnumerable<string> texts)
    {
        foreach (var text in texts) positions.Add(Id(text));
    }
}
