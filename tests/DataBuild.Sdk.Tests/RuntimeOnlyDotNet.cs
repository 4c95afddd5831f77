using System.Runtime.InteropServices;

namespace DataBuild.Sdk.Tests;

/// <summary>
/// A dotnet root with this machine's runtimes but no SDK, as on a server that only runs published apps: the
/// host is copied (it finds its root from its own real path, so a link would lead back to the SDK) and the
/// shared runtimes and the host resolver are linked.
/// </summary>
public static class RuntimeOnlyDotNet
{
    public static string Create(string folder)
    {
        // The running runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/.
        var installed = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(installed, "dotnet"), Path.Combine(folder, "dotnet"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "host"), Path.Combine(installed, "host"));
        Directory.CreateSymbolicLink(Path.Combine(folder, "shared"), Path.Combine(installed, "shared"));
        return folder;
    }
}
