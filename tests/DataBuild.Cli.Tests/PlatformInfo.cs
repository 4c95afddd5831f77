using System.Runtime.Versioning;

// These tests drive bash jobs and read /proc: they run where CI runs, on Linux.
[assembly: SupportedOSPlatform("linux")]
