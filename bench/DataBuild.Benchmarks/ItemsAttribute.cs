using BenchmarkDotNet.Running;

namespace DataBuild.Benchmarks;

/// <summary>
/// How many items (events, refs, partitions) one invocation of a benchmark handles, so results can be read
/// as a rate: a fixed count, or the value of one of the benchmark's parameters.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ItemsAttribute : Attribute
{
    public ItemsAttribute(long count, string unit)
    {
        Count = count;
        Unit = unit;
    }

    public ItemsAttribute(string parameter, string unit)
    {
        Parameter = parameter;
        Unit = unit;
    }

    public long? Count { get; }

    public string? Parameter { get; }

    public string Unit { get; }

    /// <summary>The items of <paramref name="benchmark"/> per invocation and their unit, or null when it declares none.</summary>
    public static (long Count, string Unit)? Of(BenchmarkCase benchmark)
    {
        var items = (ItemsAttribute?)GetCustomAttribute(benchmark.Descriptor.WorkloadMethod, typeof(ItemsAttribute));
        if (items is null) return null;
        var count = items.Count ?? Convert.ToInt64(benchmark.Parameters[items.Parameter!], System.Globalization.CultureInfo.InvariantCulture);
        return (count, items.Unit);
    }
}
