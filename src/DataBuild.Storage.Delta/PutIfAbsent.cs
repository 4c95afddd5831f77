using System.Runtime.InteropServices;

namespace DataBuild.Storage.Delta;

/// <summary>
/// Creates a file under its final name only if no file has that name, atomically: the commit primitive of a
/// Delta table on a local file system. On Unix it is <c>link(2)</c> of a fully written staging file, which
/// fails with EEXIST when the name is taken; .NET's <c>File.Move(…, overwrite: false)</c> checks and then
/// renames, so two writers can both "win". On Windows, MoveFileEx without REPLACE_EXISTING is atomic.
/// </summary>
internal static class PutIfAbsent
{
    private const int EExist = 17;

    /// <summary>Links <paramref name="staging"/> as <paramref name="target"/>; false when <paramref name="target"/> already exists.</summary>
    public static bool TryLink(string staging, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(staging, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }
        if (Link(staging, target) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == EExist) return false;
        throw new IOException($"cannot commit '{target}': link(2) failed with errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");
    }

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
