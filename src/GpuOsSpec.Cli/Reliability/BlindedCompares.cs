namespace GpuOsSpec.Cli.Reliability;

/// <summary>
/// The gate's fuzz target: a random program's trace becomes the baseline, then a run of the same program loses one
/// thing the baseline holds (a phase, the probes' calls, per-event syscalls, switch or fault events, on-CPU time, all
/// syscalls, its success, events). Such a compare must never pass: each is refused or inconclusive.
/// </summary>
internal static class BlindedCompares
{
    private const int Tid = 1000;

    /// <summary>One blinding of a run, described for the report.</summary>
    internal sealed record Case(string Blinding, BaselineVerdict Verdict);

    /// <summary>Builds a random baseline and a blinded run of it, compares them, and says what happened.</summary>
    internal static Case Next(Random r)
    {
        var program = RandomProgram(r);
        var baseline = BaselineProfile.Of(program.ToTrace());
        var scope = r.Next(2) == 0 ? BaselineScope.Auto : BaselineScope.All;
        var (blinding, run) = Blind(r, program, baseline, scope);
        return new Case(blinding, BaselineComparison.Compare(baseline, run, new BaselineTolerance(), scope: scope).Verdict);
    }

    // The parts of a trace a blinding changes, as a record so each blinding is one `with`.
    private sealed record Program(IReadOnlyList<Phase> Phases, IReadOnlyList<SyscallEvent> Calls, IReadOnlyList<ApiCall> Api, IReadOnlyList<ContextSwitchEvent> Switches,
        IReadOnlyList<PageFaultEvent> Faults, IReadOnlyList<CpuSlice> Cpu, long EndNs)
    {
        internal CaptureSourceKind Source { get; init; } = CaptureSourceKind.Perf;
        internal CaptureMode Mode { get; init; } = CaptureMode.Full;
        internal bool SyscallsMeasured { get; init; } = true;
        internal bool ApiProbed { get; init; } = true;
        internal bool SwitchEvents { get; init; } = true;
        internal bool FaultEvents { get; init; } = true;
        internal bool OnCpu { get; init; } = true;
        internal long Lost { get; init; }
        internal int ExitCode { get; init; }

        internal Trace ToTrace() => new()
        {
            Source = Source,
            Mode = Mode,
            Target = "fuzz",
            Architecture = SyscallTable.X64.Architecture,
            KernelRelease = "fuzz",
            StartNs = 0,
            EndNs = EndNs,
            Threads = [new TraceThread(Tid, Tid, "fuzz", ThreadOrigin.Workload, null, false)],
            Phases = Phases,
            ApiCalls = ApiProbed ? Api : [],
            ApiCallsRecorded = ApiProbed,
            ApiFaultsMeasured = ApiProbed && FaultEvents,
            ApiLibrariesProbed = ApiProbed ? ["libcuda.so.1"] : [],
            Syscalls = SyscallsMeasured ? Calls : [],
            SyscallTotals = SyscallsMeasured ? Calls.GroupBy(c => c.Name).Select(g => new SyscallTotal(g.Key, SyscallRoles.Of(g.Key), g.LongCount(), 0, 0, true)).ToList() : [],
            SyscallsMeasured = SyscallsMeasured,
            ContextSwitches = SwitchEvents ? Switches : [],
            ContextSwitchEventsRecorded = SwitchEvents,
            PageFaults = FaultEvents ? Faults : [],
            PageFaultEventsRecorded = FaultEvents,
            OnCpu = OnCpu ? Cpu : [],
            OnCpuRecorded = OnCpu,
            VoluntarySwitches = new Measurement(Switches.LongCount(s => s.Voluntary), "perf"),
            InvoluntarySwitches = new Measurement(Switches.LongCount(s => !s.Voluntary), "perf"),
            MinorFaults = new Measurement(Faults.LongCount(f => !f.Major), "perf"),
            MajorFaults = new Measurement(Faults.LongCount(f => f.Major), "perf"),
            MappingChanges = [],
            RuntimeEvents = [],
            RuntimeEventsRecorded = false,
            ThreadCounters = [],
            LostEvents = Lost,
            LostRuntimeEvents = 0,
            Incomplete = false,
            ExitCode = ExitCode,
            Notes = [],
        };
    }

    private static Program RandomProgram(Random r)
    {
        var names = new[] { "step", "data", "forward", "step/inner" };
        var phases = new List<Phase>();
        long t = 1_000;
        // At least one phase, so that every blinding below removes something a compare of the phases holds.
        for (int i = 0, n = 1 + r.Next(6); i < n; i++)
        {
            string path = names[r.Next(names.Length)];
            long length = 1_000 + r.Next(100_000);
            phases.Add(new Phase(path.Split('/')[^1], path, t, t + length, Tid) { Origin = PhaseOrigin.GpuOsMarkers });
            t += length + r.Next(1_000);
        }
        long end = t + 1_000;
        var table = SyscallTable.X64;
        var calls = new List<SyscallEvent>();
        foreach (string name in new[] { "getppid", "futex", "mmap", "read" })
        {
            for (int i = 0, n = r.Next(40); i < n; i++)
            {
                long at = r.NextInt64(0, end - 10);
                calls.Add(new SyscallEvent(Tid, table.Number(name) ?? -1, name, SyscallRoles.Of(name), at, at + 5, 0, default, null));
            }
        }
        calls.Sort((a, b) => a.EnterNs.CompareTo(b.EnterNs));
        var api = Enumerable.Range(0, r.Next(30)).Select(_ => r.NextInt64(0, end - 10)).Order()
            .Select(at => new ApiCall(r.Next(2) == 0 ? "cuLaunchKernel" : "cuMemAlloc_v2", "libcuda.so.1", Tid, at, at + 5)).ToList();
        var switches = Enumerable.Range(0, r.Next(20)).Select(_ => new ContextSwitchEvent(Tid, r.NextInt64(0, end), r.Next(2) == 0, 0)).OrderBy(s => s.TimeNs).ToList();
        var faults = Enumerable.Range(0, r.Next(20)).Select(_ => new PageFaultEvent(Tid, r.NextInt64(0, end), r.Next(10) == 0, 0)).OrderBy(f => f.TimeNs).ToList();
        var cpu = new List<CpuSlice>();
        for (long at = 0; at < end; at += 2_000)
        {
            cpu.Add(new CpuSlice(Tid, at, at + r.Next(2_000)));
        }
        return new Program(phases, calls, api, switches, faults, cpu, end);
    }

    // One loss of something the baseline holds; each must make the compare refused or inconclusive.
    private static (string Blinding, Trace Run) Blind(Random r, Program p, BaselineProfile baseline, BaselineScope scope)
    {
        // Auto compares the phases (every program here has one); All the whole run too.
        bool heldApi = baseline.Entries.Any(e => e.Kind == BaselineKind.ApiCalls && e.PerRun > 0 && (scope == BaselineScope.All || e.Scope != BaselineProfile.Whole));
        var choices = new List<(string, Program)>
        {
            ("no phase measured", p with { Phases = [] }),
            ("hybrid mode", p with { Mode = CaptureMode.Hybrid }),
            ("no switch events", p with { SwitchEvents = false }),
            ("no fault events", p with { FaultEvents = false }),
            ("no on-CPU records", p with { OnCpu = false }),
            ("no syscalls measured", p with { SyscallsMeasured = false }),
            ("the command failed", p with { ExitCode = 1 + r.Next(200) }),
            ("events lost", p with { Lost = 1 + r.Next(1000) }),
            ("the strace source", p with { Source = CaptureSourceKind.Strace, Mode = CaptureMode.Strace, SwitchEvents = false, FaultEvents = false, OnCpu = false, ApiProbed = false }),
            ("API calls not probed", p with { ApiProbed = false }),
        };
        if (p.Phases.Count > 0)
        {
            string path = p.Phases[r.Next(p.Phases.Count)].Path;
            choices.Add(($"phase {path} removed", p with { Phases = p.Phases.Where(x => x.Path != path).ToList() }));
        }
        if (heldApi)
        {
            choices.Add(("the probes saw no call", p with { Api = [] }));
        }
        var (blinding, run) = choices[r.Next(choices.Count)];
        return (blinding, run.ToTrace());
    }
}
