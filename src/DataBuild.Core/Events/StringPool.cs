using System.Runtime.InteropServices;
using DataBuild.Proto;
using Google.Protobuf.Collections;

namespace DataBuild.Events;

/// <summary>
/// One instance of every ref, id and label a set of views keeps. Each event parsed from storage brings fresh
/// copies of its strings (a build request's id in every one of its events); an entry or a run that kept them
/// would hold a copy per event, which lives as long as the views and which every collection copies. Through the
/// pool they hold the first copy seen, and the event's own dies with the event. Not thread-safe: the views it
/// serves are folded by one thread at a time.
/// </summary>
internal sealed class StringPool
{
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    /// <summary>How many distinct strings the pool holds.</summary>
    public int Count => _strings.Count;

    /// <summary>The pool's instance of <paramref name="text"/>, which becomes it when the pool has none.</summary>
    public string Intern(string text)
    {
        if (text.Length == 0) return "";
        ref var pooled = ref CollectionsMarshal.GetValueRefOrAddDefault(_strings, text, out var known);
        if (!known) pooled = text;
        return pooled!;
    }

    /// <summary>
    /// <paramref name="current"/> (a pooled string) when it equals <paramref name="text"/>, else the pool's instance:
    /// an event usually names what its entry holds already, and comparing with it costs less than a hash.
    /// </summary>
    public string Intern(string text, string current) => ReferenceEquals(text, current) || text == current ? current : Intern(text);

    /// <summary>The pool's instances of <paramref name="refs"/>, in order; without LINQ, as this runs once per job run or request.</summary>
    public string[] Intern(RepeatedField<PartitionRef> refs)
    {
        if (refs.Count == 0) return [];
        var strings = new string[refs.Count];
        for (var i = 0; i < strings.Length; i++) strings[i] = Intern(refs[i].Str);
        return strings;
    }
}
