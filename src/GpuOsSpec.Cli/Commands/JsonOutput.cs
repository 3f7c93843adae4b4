using System.CommandLine;
using System.Text;

namespace GpuOsSpec.Cli.Commands;

/// <summary>
/// The one `--json [FILE|-]` every verb has: JSON to FILE, or to stdout with `-` or no value. When the JSON goes to
/// stdout, the verb's human-readable output goes to stderr, so stdout is JSON alone and pipes into jq.
/// </summary>
internal sealed class JsonOutput
{
    internal JsonOutput(string what)
    {
        Option = new Option<string?>("--json")
        {
            Description = $"Write {what} as JSON to FILE, or to stdout with - or no value.",
            Arity = ArgumentArity.ZeroOrOne,
            HelpName = "FILE|-",
        };
    }

    internal Option<string?> Option { get; }

    /// <summary>Where the JSON goes, or null when --json was not given.</summary>
    internal JsonTarget? Of(ParseResult parse)
    {
        if (parse.GetResult(Option) is null)
        {
            return null;
        }
        string? value = parse.GetValue(Option);
        return value is null or "" or "-" ? JsonTarget.Stdout : new JsonTarget(Path.GetFullPath(value));
    }
}

/// <summary>Where a verb's JSON goes: a file (its full path) or stdout (<see cref="File"/> null).</summary>
internal sealed record JsonTarget(string? File)
{
    internal static JsonTarget Stdout { get; } = new((string?)null);

    internal bool ToStdout => File is null;

    /// <summary>Where the verb's human-readable text goes: stderr when the JSON has stdout.</summary>
    internal TextWriter HumanOutput => ToStdout ? Console.Error : Console.Out;

    /// <summary>
    /// Why the JSON could not be written, checked before any work so a typo costs no run: a missing folder or a path
    /// that is a folder. Null when it can be.
    /// </summary>
    internal string? Problem(string verb) => File is null ? null : OutputPaths.FileProblem(verb, "--json", File, instead: "- for stdout");

    /// <summary>Writes the JSON <paramref name="write"/> produces, saying where a file went.</summary>
    internal void Write(Action<Stream> write)
    {
        if (File is null)
        {
            // Through Console.Out, so a caller that redirected it (a test, a host) gets the JSON.
            using var buffer = new MemoryStream();
            write(buffer);
            Console.Out.Write(Encoding.UTF8.GetString(buffer.ToArray()));
            Console.Out.WriteLine();
            Console.Out.Flush();
            return;
        }
        using (var stream = System.IO.File.Create(File))
        {
            write(stream);
        }
        Console.Error.WriteLine($"JSON written to {File}");
    }

    /// <summary>Writes <paramref name="text"/>, already JSON.</summary>
    internal void Write(string text) => Write(stream =>
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
    });
}
