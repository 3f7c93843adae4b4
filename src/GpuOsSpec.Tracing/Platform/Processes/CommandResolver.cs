namespace GpuOsSpec.Tracing.Platform.Processes;

/// <summary>Finds a command the way a shell would, so a missing one is named before anything is started.</summary>
public static class CommandResolver
{
    /// <summary>The full path of <paramref name="command"/>.</summary>
    /// <exception cref="CommandNotFoundException">When
    /// it is missing or not executable; the message says which.</exception>
    public static string Resolve(string command)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw new CommandNotFoundException("No command was given to trace. Usage: gpuosspec trace -- COMMAND [ARGS...]");
        }
        if (command.Contains('/'))
        {
            return Check(Path.GetFullPath(command), command);
        }
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, command);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }
        throw new CommandNotFoundException($"{command}: command not found on PATH ({Environment.GetEnvironmentVariable("PATH")}). Give a path, e.g. ./{command}.");
    }

    private static string Check(string path, string asGiven)
    {
        if (Directory.Exists(path))
        {
            throw new CommandNotFoundException($"{asGiven}: is a directory, not a command.");
        }
        if (!File.Exists(path))
        {
            throw new CommandNotFoundException($"{asGiven}: no such file.");
        }
        if (!IsExecutable(path))
        {
            throw new CommandNotFoundException($"{asGiven}: not executable. Fix: chmod +x {asGiven}.");
        }
        return path;
    }

    // Windows has no execute bit; there, every file may be run (and tracing fails later with the reason).
    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
