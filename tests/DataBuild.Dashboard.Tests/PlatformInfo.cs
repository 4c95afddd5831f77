using System.Runtime.Versioning;

// These tests run bash jobs, send signals and drive Debian's chromium: they run where CI runs, on Linux.
[assembly: SupportedOSPlatform("linux")]
