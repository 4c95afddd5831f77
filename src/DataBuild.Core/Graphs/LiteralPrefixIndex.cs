namespace DataBuild.Graphs;

/// <summary>
/// A character trie over literal prefixes. Every ref a pattern matches starts with the pattern's
/// <c>LiteralPrefix</c>, so the patterns whose prefix begins a ref are the only ones that can match it:
/// walking the ref down the trie yields exactly those, in one pass over the ref, whatever the number of
/// patterns. Nothing that could match is ever left out, which is what keeps the ambiguity check sound.
/// </summary>
internal sealed class LiteralPrefixIndex<T>
{
    private readonly Node _root = new();

    public void Add(string prefix, T value)
    {
        var node = _root;
        foreach (var c in prefix)
        {
            node.Children ??= [];
            if (!node.Children.TryGetValue(c, out var child))
            {
                child = new Node();
                node.Children.Add(c, child);
            }
            node = child;
        }
        (node.Values ??= []).Add(value);
    }

    /// <summary>Appends to <paramref name="into"/> every value whose prefix begins <paramref name="text"/>, shortest prefix first.</summary>
    public void CollectPrefixesOf(string text, List<T> into)
    {
        var node = _root;
        var position = 0;
        while (true)
        {
            if (node.Values is not null) into.AddRange(node.Values);
            if (position == text.Length || node.Children is null || !node.Children.TryGetValue(text[position++], out var next)) return;
            node = next;
        }
    }

    private sealed class Node
    {
        public Dictionary<char, Node>? Children { get; set; }
        public List<T>? Values { get; set; }
    }
}
