using System.CommandLine;

namespace GpuOsSpec.Cli.Commands;

/// <summary>The shape of the verbs that list what there is (backends, workloads, sources): text, or with --json,
/// JSON.</summary>
internal static class ListingCommand
{
    /// <summary>
    /// A verb named <paramref name="name"/> that prints <paramref name="text"/>, or with --json writes what
    /// <paramref name="json"/> serializes (<paramref name="jsonWhat"/> says what that is, for --help).
    /// </summary>
    internal static Command Create(string name, string description, string jsonWhat, Func<string> json, Action text)
    {
        var output = new JsonOutput(jsonWhat);
        var cmd = new Command(name, description) { output.Option };
        cmd.SetAction(parse =>
        {
            if (output.Of(parse) is { } target)
            {
                if (target.Problem(name) is { } problem)
                {
                    return Usage.Refuse(problem);
                }
                target.Write(json());
                return ExitCodes.Success;
            }
            text();
            return ExitCodes.Success;
        });
        return cmd;
    }
}
