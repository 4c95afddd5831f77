using System.Runtime.Versioning;

// The end-to-end tests put a bash shim for dotnet on PATH: they run where CI runs, on Linux.
[assembly: SupportedOSPlatform("linux")]
