using System.Diagnostics;
using System.Text;

namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// Feeds the parsers of untrusted text (strace output, /proc task files, `report`, `map merge` and baseline JSON)
/// mutated real inputs, truncations, random bytes and huge lines, and counts the exceptions that escape. A reader may
/// refuse an input with its documented error (InvalidDataException for map merge and baselines, an error string for
/// report); anything else that escapes is a bug. The baseline gate gets one more target: compares of runs that lost
/// something their baseline holds, where a pass counts as a failure.
/// </summary>
internal static class Fuzzer
{
    /// <summary>What one target did with its inputs.</summary>
    internal sealed record Result(string Target, int Inputs, int Unhandled, IReadOnlyList<string> Examples, TimeSpan Elapsed);

    private static readonly string[] s_straceSeeds =
    [
        "4989  1795289131.465904 access(\"/etc/ld.so.preload\", R_OK) = -1 ENOENT (No such file or directory) <0.000010>",
        "2379  1795287955.694739 openat(AT_FDCWD</tmp/exp>, \"/dev/null\", O_RDONLY) = 3</dev/null> <0.000016>",
        "2380  1795287955.700001 ioctl(3</dev/nvidiactl>, 0xc020462a, 0x7ffd5d1e0b70) = 0 <0.000005>",
        "2381  1795287955.700101 futex(0x7f0a1c000b70, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>",
        "2381  1795287955.700201 <... futex resumed>) = 0 <0.000100>",
        "2382  1795287955.700301 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=2383, si_uid=0, si_status=0} ---",
        "2383  1795287955.700401 +++ exited with 0 +++",
        "2384  1795287955.700501 getpriority(0x47505343 /* PRIO_??? */, 3) = -1 EINVAL (Invalid argument) <0.000002>",
        "2385  1795287955.700601 openat(AT_FDCWD, \"/tmp/x) = 7\", O_RDONLY) = 3</tmp/x) = 7> <0.000016>",
    ];

    private const string StatusSeed = "Name:\tdotnet\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t150\nnonvoluntary_ctxt_switches:\t545\n";
    private const string StatSeed = "4242 (dot net) S 1 4242 4242 0 -1 4194560 1234 0 5 0 10 20 0 0 20 0 24 0 100 0 0";

    private const string RunSeed = """
        {"schema":"gpuosspec.run/1","workload":"launch-storm","backend":"cpu","device":"cpu","settings":{"launches":"100"},
         "source":"perf","mode":"full","lostEvents":0,"notSupported":null,"error":null,"failedPhase":null,"succeeded":true,
         "phases":[{"path":"steady","durationNs":1000,"operations":{"launches":100},"nsPerLaunch":10.0,"syscallCount":3,
           "roles":{"memory":1,"synchronization":null},"contextSwitches":{"voluntary":1,"involuntary":null},
           "pageFaults":{"minor":2,"major":0},"ioctls":[{"name":"TCGETS","count":1}]}]}
        """;

    private const string MapSeed = """
        {"schema":"gpuosspec.map/1","machines":[{"name":"m","kernel":"6","cpus":2,"date":"d","backends":[{"key":"m/cpu","target":"cpu","vendor":"cpu","device":"cpu","driver":"-"}]}],
         "cells":[{"workload":"launch-storm","backend":"m/cpu","unit":"launch","status":"ok","reason":null,
           "points":[{"size":100,"metrics":{"syscalls":1}}],"fits":{"syscalls":{"fixed":1,"marginal":0,"rSquared":1}}}],"findings":[]}
        """;

    private const string BaselineSeed = """
        {"schema":"gpuosspec.baseline/2","target":"python3 train.py","machine":{"host":"h200","architecture":"x86_64","kernel":"6.18.44","driver":"580.159.04"},
         "capture":{"source":"Perf","mode":"Full","apiLibraries":["libcuda.so.1"],"markers":true},"recordedUtc":"2026-12-06T12:00:00Z","recordings":5,
         "scopes":[{"scope":"(whole)","runs":1,"measured":["Syscall","Ioctl","Role","ApiCalls","ApiSyscalls","VoluntarySwitches","PageFaults","CpuTime"]},
                   {"scope":"step","runs":200,"measured":["Syscall","Ioctl","Role","ApiCalls","ApiSyscalls","VoluntarySwitches","PageFaults","WallTime","CpuTime"]}],
         "entries":[{"scope":"(whole)","kind":"Syscall","name":"ioctl","perRun":1240,"max":1251},
                    {"scope":"step","kind":"Ioctl","name":"NV_ESC_RM_CONTROL /dev/nvidiactl","perRun":0.5,"max":0.5},
                    {"scope":"step","kind":"ApiCalls","name":"cuLaunchKernel","perRun":100,"max":100},
                    {"scope":"step","kind":"WallTime","name":"","perRun":8500000,"max":8900000},
                    {"scope":"step","kind":"CpuTime","name":"Workload","perRun":8400000.5,"max":8800000}]}
        """;

    /// <summary>Runs <paramref name="inputsPerTarget"/> inputs through every target.</summary>
    internal static IReadOnlyList<Result> Run(int inputsPerTarget, int seed, Action<string>? progress = null)
    {
        var random = new Random(seed);
        var targets = new (string Name, Func<Random, string> Make, Action<string> Parse)[]
        {
            ("strace line parser", r => Mutate(r, s_straceSeeds[r.Next(s_straceSeeds.Length)]), text =>
            {
                var line = StraceLineParser.Parse(text);
                foreach (string argument in StraceLineParser.SplitArguments(line.Arguments))
                {
                    _ = StraceLineParser.Number(argument);
                    _ = StraceLineParser.FdPath(argument);
                }
            }),
            ("/proc task parser", r => Mutate(r, r.Next(2) == 0 ? StatusSeed : StatSeed), text =>
                _ = TaskSnapshot.Parse(1, text, text.Contains(':') ? text : StatusSeed, text.Contains(':') ? StatSeed : text)),
            ("report reader", r => Mutate(r, RunSeed), text => _ = RunReport.Parse(text, "fuzz.json", out _)),
            ("map merge reader", r => Mutate(r, MapSeed), text =>
            {
                try
                {
                    _ = MapMerge.Parse(text, "fuzz.json");
                }
                catch (InvalidDataException)
                {
                    // The documented refusal, naming the file and what is wrong.
                }
            }),
            ("baseline reader", r => Mutate(r, BaselineSeed), text =>
            {
                try
                {
                    _ = Tracing.Baselines.BaselineProfile.Parse(text, "fuzz.json");
                }
                catch (InvalidDataException)
                {
                    // The documented refusal, naming the file and what is wrong.
                }
            }),
        };
        var results = new List<Result>();
        results.Add(Blinded(inputsPerTarget, random, progress));
        foreach (var (name, make, parse) in targets)
        {
            var clock = Stopwatch.StartNew();
            int unhandled = 0;
            var examples = new List<string>();
            for (int i = 0; i < inputsPerTarget; i++)
            {
                string input = make(random);
                try
                {
                    parse(input);
                }
                catch (Exception ex)
                {
                    unhandled++;
                    if (examples.Count < 3)
                    {
                        examples.Add($"{ex.GetType().Name}: {ex.Message} on \"{Escape(input)}\"");
                    }
                }
            }
            results.Add(new Result(name, inputsPerTarget, unhandled, examples, clock.Elapsed));
            progress?.Invoke($"{name}: {inputsPerTarget:N0} inputs, {unhandled} unhandled, {clock.Elapsed.TotalSeconds:F1} s");
        }
        return results;
    }

    // A compare after the run lost something its baseline holds passes only on nothing: each pass counts, as does any
    // exception.
    private static Result Blinded(int inputs, Random random, Action<string>? progress)
    {
        const string name = "baseline compare after a figure was removed (a pass counts)";
        var clock = Stopwatch.StartNew();
        int bad = 0;
        var examples = new List<string>();
        for (int i = 0; i < inputs; i++)
        {
            string outcome;
            try
            {
                var c = BlindedCompares.Next(random);
                if (c.Verdict is not (Tracing.Baselines.BaselineVerdict.Refused or Tracing.Baselines.BaselineVerdict.Inconclusive))
                {
                    outcome = $"{c.Verdict} after {c.Blinding}";
                }
                else
                {
                    continue;
                }
            }
            catch (Exception ex)
            {
                outcome = $"{ex.GetType().Name}: {ex.Message}";
            }
            bad++;
            if (examples.Count < 3)
            {
                examples.Add(outcome);
            }
        }
        progress?.Invoke($"{name}: {inputs:N0} compares, {bad} passed or threw, {clock.Elapsed.TotalSeconds:F1} s");
        return new Result(name, inputs, bad, examples, clock.Elapsed);
    }

    // Characters that carry structure in the inputs: brackets, quotes, separators, digits, keywords.
    private const string Alphabet = "(){}[]<>\",:=- 0123456789xNULLnull\\/";

    // One of: the seed as is, truncated, with bytes flipped, inserted or deleted, a slice repeated, random text, or a
    // huge line built from the seed.
    private static string Mutate(Random r, string seed)
    {
        var sb = new StringBuilder(seed);
        switch (r.Next(8))
        {
            case 0:
                return seed;
            case 1:
                return seed[..r.Next(seed.Length + 1)];
            case 2:
                for (int i = 0, n = 1 + r.Next(8); i < n && sb.Length > 0; i++)
                {
                    sb[r.Next(sb.Length)] = (char)r.Next(1, 128);
                }
                return sb.ToString();
            case 3:
                for (int i = 0, n = 1 + r.Next(8); i < n; i++)
                {
                    sb.Insert(r.Next(sb.Length + 1), Alphabet[r.Next(Alphabet.Length)]);
                }
                return sb.ToString();
            case 4:
                for (int i = 0, n = 1 + r.Next(8); i < n && sb.Length > 0; i++)
                {
                    sb.Remove(r.Next(sb.Length), 1);
                }
                return sb.ToString();
            case 5:
                int from = r.Next(seed.Length), length = r.Next(seed.Length - from + 1);
                return seed.Insert(from, string.Concat(Enumerable.Repeat(seed.Substring(from, length), 1 + r.Next(20))));
            case 6:
                var bytes = new byte[r.Next(300)];
                r.NextBytes(bytes);
                return Encoding.Latin1.GetString(bytes);
            default:
                return string.Concat(Enumerable.Repeat(seed, 200 + r.Next(300)));
        }
    }

    private static string Escape(string input)
    {
        string shown = input.Length > 120 ? input[..120] + "…" : input;
        return string.Concat(shown.Select(c => c < ' ' || c > '~' ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
