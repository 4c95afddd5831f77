using System.Text;
using System.Text.Json;

namespace DataBuild.Graphs;

/// <summary>
/// Where each value of a JSON document starts, by JSON path: <see cref="JsonDocument"/> keeps no positions,
/// and a problem that names its line is found in seconds. A property is located at its name.
/// </summary>
internal sealed class JsonLocations
{
    private readonly byte[] _json;
    private readonly int[] _lineStarts;
    private readonly Dictionary<string, TextLocation> _byPath = new(StringComparer.Ordinal);

    private JsonLocations(byte[] json)
    {
        _json = json;
        _lineStarts = LineStarts(json);
    }

    /// <summary>Maps every value of <paramref name="json"/>, which must be well-formed.</summary>
    public static JsonLocations Map(byte[] json)
    {
        var map = new JsonLocations(json);
        map.Walk();
        return map;
    }

    /// <summary>The location of <paramref name="path"/>, or of the nearest enclosing value that has one.</summary>
    public TextLocation? Find(string path)
    {
        for (string? p = path; p is not null; p = JsonPaths.Parent(p))
        {
            if (_byPath.TryGetValue(p, out var at)) return at;
        }
        return null;
    }

    /// <summary>The location of <paramref name="byteOffset"/> in <paramref name="json"/>, which need not be well-formed.</summary>
    public static TextLocation Locate(byte[] json, long byteOffset) => new JsonLocations(json).At(byteOffset);

    private TextLocation At(long byteOffset)
    {
        var line = Array.BinarySearch(_lineStarts, (int)byteOffset);
        if (line < 0) line = ~line - 1;
        var column = Encoding.UTF8.GetCharCount(_json, _lineStarts[line], (int)byteOffset - _lineStarts[line]) + 1;
        return new TextLocation(line + 1, column);
    }

    private void Walk()
    {
        var reader = new Utf8JsonReader(_json);
        var open = new Stack<Container>();
        var propertyPath = JsonPaths.Root;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    propertyPath = JsonPaths.Property(open.Peek().Path, reader.GetString()!);
                    // A repeated property is reported at its last occurrence, the one that is the mistake.
                    _byPath[propertyPath] = At(reader.TokenStartIndex);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    open.Push(new Container(ValuePath(open, propertyPath, reader.TokenStartIndex), reader.TokenType == JsonTokenType.StartArray));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    open.Pop();
                    break;
                default:
                    ValuePath(open, propertyPath, reader.TokenStartIndex);
                    break;
            }
        }
    }

    private string ValuePath(Stack<Container> open, string propertyPath, long start)
    {
        if (open.Count == 0)
        {
            _byPath[JsonPaths.Root] = At(start);
            return JsonPaths.Root;
        }
        var container = open.Peek();
        if (!container.IsArray) return propertyPath;
        var path = JsonPaths.Element(container.Path, container.Count++);
        _byPath[path] = At(start);
        return path;
    }

    private static int[] LineStarts(byte[] json)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n') starts.Add(i + 1);
        }
        return starts.ToArray();
    }

    private sealed class Container(string path, bool isArray)
    {
        public string Path { get; } = path;
        public bool IsArray { get; } = isArray;
        public int Count { get; set; }
    }
}
