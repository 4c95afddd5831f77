using System.Runtime.Versioning;

// The graphs run bash jobs, and each test runs dotnet builds that use most of a small machine: one at a time.
[assembly: SupportedOSPlatform("linux")]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
