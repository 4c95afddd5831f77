using System.Runtime.Versioning;

// The benchmark runs bash jobs and sends signals: it runs on Linux.
[assembly: SupportedOSPlatform("linux")]
