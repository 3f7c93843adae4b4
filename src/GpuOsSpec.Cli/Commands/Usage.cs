namespace GpuOsSpec.Cli.Commands;

/// <summary>What every verb says on stderr the same way: a refusal before any work, and the files it wrote.</summary>
internal static class Usage
{
    /// <summary>Writes <paramref name="message"/> (what was wrong and the fix) and returns the usage-error exit
    /// code.</summary>
    internal static int Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return ExitCodes.Usage;
    }

    /// <summary>Says where each of <paramref name="files"/> went.</summary>
    internal static void Wrote(IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            Console.Error.WriteLine($"wrote {file}");
        }
    }
}
