namespace GpuOsSpec.Cli.Tests.Support;

/// <summary>Runs gpuosspec in process with its stdout and stderr captured.</summary>
internal static class Cli
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (savedOut, savedErr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            return (Program.Main(args), o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedErr);
        }
    }
}
