namespace DataBuild.Service;

/// <summary>How <c>databuild serve</c> runs: where it listens, who may call it, how much it builds at once.</summary>
public sealed record ServiceOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8765";

    /// <summary>The graph manifest (graph.json) or its folder.</summary>
    public required string GraphPath { get; init; }

    /// <summary>The BEL URI; the graph's default when null.</summary>
    public string? BelUri { get; init; }

    /// <summary>Where the default BEL and the job-run logs live instead of .databuild/ (--state-dir); null for that default.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>HTTP/1.1 and HTTP/2 (HTTP/2 needs TLS here): the JSON API, and gRPC over TLS.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>HTTP/2 only, for gRPC clients without TLS (prior knowledge); none by default.</summary>
    public IReadOnlyList<string> GrpcUrls { get; init; } = [];

    /// <summary>A file holding the bearer token every call but the health checks must carry.</summary>
    public string? TokenFile { get; init; }

    /// <summary>Job runs at once across every build the service runs.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The reconciler's pass when nothing new happens: for TTLs, SLAs and retries of failed partitions.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(10);
}
