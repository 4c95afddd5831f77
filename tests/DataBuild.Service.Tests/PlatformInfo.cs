using System.Runtime.Versioning;

// These tests run bash jobs and send signals: they run where CI runs, on Linux.
[assembly: SupportedOSPlatform("linux")]
