using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf.Reflection;

namespace DataBuild.Events;

/// <summary>The names enums have in databuild.proto (e.g. <c>PARTITION_AVAILABLE</c>): what users and scripts see.</summary>
public static class ProtoNames
{
    private static readonly ConcurrentDictionary<(Type, int), string> Cache = new();

    public static string Of<T>(T value) where T : struct, Enum =>
        Cache.GetOrAdd((typeof(T), Convert.ToInt32(value)), _ =>
        {
            var member = typeof(T).GetField(value.ToString());
            return member?.GetCustomAttribute<OriginalNameAttribute>()?.Name ?? value.ToString();
        });
}
