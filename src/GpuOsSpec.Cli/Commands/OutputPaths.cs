namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// Every output a verb writes is checked before any work starts: a typo costs no run, and a long run (a full map, an
/// evaluation) never loses its results at the end to a path that could not be written.
/// </summary>
internal static class OutputPaths
{
    /// <summary>
    /// Why <paramref name="path"/>, given to <paramref name="option"/>, cannot be written as a file, as a usage error
    /// of <paramref name="verb"/>; null when it can. <paramref name="instead"/> is what else the option takes, for the
    /// fix ("- for stdout").
    /// </summary>
    internal static string? FileProblem(string verb, string option, string path, string? instead = null)
    {
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return $"gpuosspec {verb}: {option} {full} is a folder. Fix: give a file name{(instead is null ? "" : $", or {instead}")}.";
        }
        string? folder = Path.GetDirectoryName(full);
        return folder is not null && !Directory.Exists(folder)
            ? $"gpuosspec {verb}: cannot write {full}: the folder {folder} does not exist. Fix: create it, or write elsewhere."
            : null;
    }

    /// <summary>
    /// Why <paramref name="path"/> cannot be the output folder of <paramref name="verb"/>; null when it can. The folder
    /// is created now, so a permission problem shows before the run rather than after it.
    /// </summary>
    internal static string? FolderProblem(string verb, string option, string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return $"gpuosspec {verb}: {option} {full} is a file. Fix: give a folder (it is created when missing).";
        }
        try
        {
            Directory.CreateDirectory(full);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"gpuosspec {verb}: cannot create the folder {full} for {option}: {ex.Message} Fix: write elsewhere.";
        }
    }

    /// <summary>The first problem of several checks, or null.</summary>
    internal static string? First(params string?[] problems) => problems.FirstOrDefault(p => p is not null);
}
