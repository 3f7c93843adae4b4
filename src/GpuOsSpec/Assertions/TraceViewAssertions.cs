using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;

namespace GpuOsSpec.Assertions;

/// <summary>
/// Assertions on a trace or a phase of it (a <see cref="TraceView"/>). Every assertion first refuses an inconclusive
/// trace (lost events, an incomplete capture, or figures that were not measured): it fails, saying why, and never
/// passes.
/// </summary>
[System.Diagnostics.DebuggerNonUserCode]
public sealed class TraceViewAssertions : ReferenceTypeAssertions<TraceView, TraceViewAssertions>
{
    /// <summary>Creates assertions on <paramref name="view"/>.</summary>
    public TraceViewAssertions(TraceView view) : base(view)
    {
    }

    // FluentAssertions fills {context:trace} and {reason}; the numbered arguments are Evidence.Text, printed as
    // written.
    private const string FoundTemplate = "Expected {context:trace} {0}{reason}, but found {1}: {2}.{3}";
    private const string InconclusiveTemplate = "Expected {context:trace} {0}{reason}, but the result is inconclusive: {1}.{2}";
    private const string TraceInconclusiveTemplate = "Expected {context:trace} {0}{reason}, but the trace is inconclusive: {1}.{2}";

    /// <inheritdoc/>
    protected override string Identifier => "trace";

    /// <summary>Asserts exactly <paramref name="expected"/> syscalls.</summary>
    public AndConstraint<TraceViewAssertions> HaveSyscallCount(long expected, string because = "", params object[] becauseArgs)
    {
        string expectation = $"to make exactly {expected} syscalls";
        if (Conclusive(expectation, because, becauseArgs, syscalls: true) && Measured(expectation, Subject.SyscallCount(), because, becauseArgs) is { } actual)
        {
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(actual == expected)
                .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text(actual), Evidence.Text(Evidence.TopSyscalls(Subject, Subject.Syscalls)), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts at most <paramref name="max"/> syscalls.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostSyscalls(long max, string because = "", params object[] becauseArgs) =>
        Count("syscalls", Subject.SyscallCount, Subject.Syscalls, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts no syscall at all.</summary>
    public AndConstraint<TraceViewAssertions> HaveNoSyscalls(string because = "", params object[] becauseArgs) =>
        Count("syscalls", Subject.SyscallCount, Subject.Syscalls, 0, atMost: true, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> syscalls in <paramref name="role"/>.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostSyscallsInRole(SyscallRole role, long max, string because = "", params object[] becauseArgs) =>
        Count($"{RoleNames.Of(role)} syscalls", () => Subject.CountByRole()[role], Subject.Syscalls.Where(s => s.Role == role), max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> syscalls in <paramref name="role"/>.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastSyscallsInRole(SyscallRole role, long min, string because = "", params object[] becauseArgs) =>
        Count($"{RoleNames.Of(role)} syscalls", () => Subject.CountByRole()[role], Subject.Syscalls.Where(s => s.Role == role), min, atMost: false, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> calls of the syscall <paramref name="name"/>.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostCallsTo(string name, long max, string because = "", params object[] becauseArgs) =>
        Count($"calls to {Named(name)}", () => Subject.Calls(name), Subject.Syscalls.Where(s => s.Name == name), max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> calls of the syscall <paramref name="name"/>.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastCallsTo(string name, long min, string because = "", params object[] becauseArgs) =>
        Count($"calls to {Named(name)}", () => Subject.Calls(name), Subject.Syscalls.Where(s => s.Name == name), min, atMost: false, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> ioctls whose decoded name or device is
    /// <paramref name="nameOrDevice"/>.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostIoctls(string nameOrDevice, long max, string because = "", params object[] becauseArgs) =>
        Count($"{Named(nameOrDevice)} ioctls", () => Subject.IoctlCalls(nameOrDevice), Ioctls(nameOrDevice), max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> ioctls whose decoded name or device is
    /// <paramref name="nameOrDevice"/>.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastIoctls(string nameOrDevice, long min, string because = "", params object[] becauseArgs) =>
        Count($"{Named(nameOrDevice)} ioctls", () => Subject.IoctlCalls(nameOrDevice), Ioctls(nameOrDevice), min, atMost: false, because, becauseArgs);

    /// <summary>
    /// Asserts that calls of the vendor API function <paramref name="api"/> (cuLaunchKernel, clFinish, ...) make at
    /// most <paramref name="max"/> syscalls each on average. Needs API probes (CaptureOptions.ApiLibraries) that count
    /// every syscall inside each call: counted in the kernel, or every syscall an event (full mode). Calls joined from
    /// perf samples in hybrid mode, and a view in which the function was never called, are inconclusive, never a pass.
    /// </summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostSyscallsPerApiCall(string api, double max, string because = "", params object[] becauseArgs)
    {
        Named(api);
        if (double.IsNaN(max) || max < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, "A per-call bound must be a number of at least 0.");
        }
        string expectation = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"to make at most {max:G4} syscalls per call to {api}");
        if (!Conclusive(expectation, because, becauseArgs, syscalls: true))
        {
            return new AndConstraint<TraceViewAssertions>(this);
        }
        if (!Subject.Trace.ApiCallsRecorded)
        {
            Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
                Evidence.Text("API calls were not probed; trace with CaptureOptions.ApiLibraries (gpuosspec trace --api)"), Evidence.Text(Evidence.Where(Subject)));
            return new AndConstraint<TraceViewAssertions>(this);
        }
        if (Subject.Trace.ApiSyscallsUnmeasured is { } unmeasured)
        {
            Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
                Evidence.Text(unmeasured), Evidence.Text(Evidence.Where(Subject)));
            return new AndConstraint<TraceViewAssertions>(this);
        }
        var cost = Subject.ApiCosts().FirstOrDefault(c => c.Name == api);
        if (cost is null)
        {
            Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
                Evidence.Text($"{api} was never called in the view, so there is nothing to measure (probed: {Evidence.Joined(Subject.ApiCosts().Select(c => c.Name), 8)})"),
                Evidence.Text(Evidence.Where(Subject)));
            return new AndConstraint<TraceViewAssertions>(this);
        }
        var worst = Subject.ApiCalls.Where(c => c.Name == api && c.Syscalls > 0).OrderByDescending(c => c.Syscalls).Take(3)
            .Select(c => $"{c.Syscalls} syscall(s) at {string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+{(c.StartNs - Subject.Trace.StartNs) / 1e6:F3} ms")} ({Evidence.Thread(Subject.Trace, c.Tid)})");
        // Measured: the calls hold every syscall inside them (checked above).
        double perCall = cost.SyscallsPerCall!.Value;
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(perCall <= max)
            .FailWith(FoundTemplate, Evidence.Text(expectation),
                Evidence.Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{perCall:G4} per call ({cost.Syscalls:N0} in {cost.Calls:N0} calls, {(cost.OsInvisibleShare is { } share ? $"{share:P1} of them OS-invisible" : "their OS-invisible share not measured: page faults were not recorded")})")),
                Evidence.Text(Evidence.Joined(worst, 3)), Evidence.Text(Evidence.Where(Subject)));
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>
    /// Asserts that the trace's OS-interaction profile stays within <paramref name="tolerance"/> of
    /// <paramref name="baseline"/> (recorded with <c>gpuosspec baseline record</c> or
    /// <see cref="BaselineProfile.Of(Trace)"/>), per phase, role, syscall, ioctl, API call, switches, faults and time.
    /// It fails unless the comparison passed: a run that grew, and also an inconclusive one (a phase or the probes'
    /// calls missing, a failed command) or one that cannot be compared (another machine or driver, a capture that
    /// cannot measure what the baseline holds).
    /// </summary>
    public AndConstraint<TraceViewAssertions> MatchBaseline(BaselineProfile baseline, BaselineTolerance? tolerance = null, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        tolerance ??= new BaselineTolerance();
        const string expectation = "to match its baseline";
        if (!Conclusive(expectation, because, becauseArgs, syscalls: true))
        {
            return new AndConstraint<TraceViewAssertions>(this);
        }
        var result = BaselineComparison.Compare(baseline, Subject.Trace, tolerance);
        if (result.Verdict is BaselineVerdict.Inconclusive or BaselineVerdict.Refused)
        {
            Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
                Evidence.Text($"{(result.Verdict == BaselineVerdict.Refused ? "not compared: " : "")}{result.Reason}"), Evidence.Text(Evidence.Where(Subject)));
            return new AndConstraint<TraceViewAssertions>(this);
        }
        var grew = result.Changes.Where(c => c.Regression).ToList();
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(grew.Count == 0)
            .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text($"{grew.Count} figure(s) grown past the tolerance"),
                Evidence.Text(Evidence.Joined(grew.Select(c => $"{c.Entry.Scope}: {c.Entry.Kind} {c.Entry.Name} {c.Entry.PerRun:G4} -> {c.Current:G4} per run (limit {c.Limit:G4}){(c.FirstSeen is null ? "" : $" (first at {c.FirstSeen})")}"), 8)),
                Evidence.Text(Evidence.Where(Subject)));
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts that every syscall is one of <paramref name="names"/>.</summary>
    public AndConstraint<TraceViewAssertions> MakeOnlySyscalls(IEnumerable<string> names, string because = "", params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(names);
        var allowed = names.ToHashSet(StringComparer.Ordinal);
        string expectation = $"to make only {string.Join(", ", allowed.Order(StringComparer.Ordinal))} syscalls";
        if (Conclusive(expectation, because, becauseArgs, syscalls: true))
        {
            var unknown = Subject.CoversCountedTotals ? [] : Subject.Trace.SyscallTotals.Where(t => !t.PerEvent && t.Count > 0 && !allowed.Contains(t.Name)).ToList();
            if (unknown.Count > 0)
            {
                Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
                    Evidence.Text($"{string.Join(", ", unknown.Select(t => $"{t.Count:N0} {t.Name}"))} were counted in the kernel for the whole capture only (hybrid mode), and in-kernel totals have no phase or thread"), Evidence.Text(Evidence.Where(Subject)));
                return new AndConstraint<TraceViewAssertions>(this);
            }
            var counted = Subject.CoversCountedTotals ? Subject.Trace.SyscallTotals.Where(t => !t.PerEvent && t.Count > 0 && !allowed.Contains(t.Name)).ToList() : [];
            var others = Subject.Syscalls.Where(s => !allowed.Contains(s.Name)).ToList();
            if (counted.Count > 0)
            {
                Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text($"{counted.Sum(t => t.Count) + others.Count} other(s)"),
                    Evidence.Text("counted in the kernel: " + Evidence.Joined(counted.Select(t => $"{t.Count:N0} {t.Name}"), 10)), Evidence.Text(Evidence.Where(Subject)));
                return new AndConstraint<TraceViewAssertions>(this);
            }
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(others.Count == 0)
                .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text($"{others.Count} other(s)"), Evidence.Text(Evidence.TopSyscalls(Subject, others)), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts that every syscall is one of <paramref name="names"/>.</summary>
    public AndConstraint<TraceViewAssertions> MakeOnlySyscalls(params string[] names) => MakeOnlySyscalls(names, "");

    /// <summary>Asserts no context switch.</summary>
    public AndConstraint<TraceViewAssertions> HaveNoContextSwitches(string because = "", params object[] becauseArgs) =>
        Switches("context switches", null, 0, atMost: true, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> context switches, voluntary and involuntary together.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostContextSwitches(long max, string because = "", params object[] becauseArgs) =>
        Switches("context switches", null, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> voluntary context switches (the thread blocked).</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostVoluntarySwitches(long max, string because = "", params object[] becauseArgs) =>
        Switches("voluntary context switches", true, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> voluntary context switches.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastVoluntarySwitches(long min, string because = "", params object[] becauseArgs) =>
        Switches("voluntary context switches", true, min, atMost: false, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> involuntary context switches (preempted or yielding).</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostInvoluntarySwitches(long max, string because = "", params object[] becauseArgs) =>
        Switches("involuntary context switches", false, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at most <paramref name="max"/> page faults, minor and major.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtMostPageFaults(long max, string because = "", params object[] becauseArgs) =>
        Faults("page faults", null, max, atMost: true, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> page faults, minor and major.</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastPageFaults(long min, string because = "", params object[] becauseArgs) =>
        Faults("page faults", null, min, atMost: false, because, becauseArgs);

    /// <summary>Asserts no major page fault.</summary>
    public AndConstraint<TraceViewAssertions> HaveNoMajorPageFaults(string because = "", params object[] becauseArgs) =>
        Faults("major page faults", true, 0, atMost: true, because, becauseArgs);

    /// <summary>Asserts that no mapping was created, removed, re-protected, moved or advised.</summary>
    public AndConstraint<TraceViewAssertions> HaveNoMappingChanges(string because = "", params object[] becauseArgs)
    {
        if (Conclusive("to change no memory mapping", because, becauseArgs, syscalls: true))
        {
            var changes = Subject.MappingChanges.ToList();
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(changes.Count == 0)
                .FailWith(FoundTemplate, Evidence.Text("to change no memory mapping"), Evidence.Text(changes.Count),
                    Evidence.Text(Evidence.First(Subject, changes, c => c.Tid, c => c.TimeNs, c => $"{c.Kind.ToString().ToLowerInvariant()} 0x{c.Address:x} ({c.Length:N0} bytes{(c.Device is null ? "" : ", " + c.Device)})")), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts at least <paramref name="min"/> changes to memory mappings (mmap, munmap, mprotect, mremap,
    /// madvise).</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastMappingChanges(long min, string because = "", params object[] becauseArgs)
    {
        Guard(min, atMost: false);
        string expectation = $"to change at least {min} memory mappings";
        if (Conclusive(expectation, because, becauseArgs, syscalls: true))
        {
            var changes = Subject.MappingChanges.ToList();
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(changes.Count >= min)
                .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text(changes.Count),
                    Evidence.Text(Evidence.First(Subject, changes, c => c.Tid, c => c.TimeNs, c => $"{c.Kind.ToString().ToLowerInvariant()} 0x{c.Address:x}")), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts that no mapping of a device file (/dev/...) was created, removed or changed.</summary>
    public AndConstraint<TraceViewAssertions> HaveNoDeviceMappingChanges(string because = "", params object[] becauseArgs) =>
        DeviceMappings(0, atMost: true, because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> changes to mappings of device files (/dev/...).</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastDeviceMappingChanges(long min, string because = "", params object[] becauseArgs) =>
        DeviceMappings(min, atMost: false, because, becauseArgs);

    /// <summary>Asserts that at least <paramref name="min"/> threads were created in the view's window.</summary>
    public AndConstraint<TraceViewAssertions> StartAtLeastThreads(long min, string because = "", params object[] becauseArgs)
    {
        if (Conclusive($"to start at least {min} threads", because, becauseArgs, syscalls: false) && ThreadsVisible($"to start at least {min} threads", because, becauseArgs))
        {
            var started = StartedThreads();
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(started.Count >= min)
                .FailWith(FoundTemplate, Evidence.Text($"to start at least {min} threads"), Evidence.Text(started.Count),
                    Evidence.Text(Evidence.Joined(started.Select(t => Evidence.Thread(Subject.Trace, t.Tid)), 10)), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    private List<TraceThread> StartedThreads()
    {
        var window = Subject.PhaseFilter;
        return Subject.Trace.Threads.Where(t => t.CreatedAtNs is { } at && (t.Origin & Subject.Origins) != 0 && t.Origin != ThreadOrigin.Tracer
            && (window is null || window.Contains(at))).ToList();
    }

    private bool ThreadsVisible(string expectation, string because, object[] becauseArgs)
    {
        if (Subject.Trace.Source == GpuOsSpec.Tracing.Model.CaptureSourceKind.Perf)
        {
            return true;
        }
        Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
            Evidence.Text($"thread creation times are recorded by the perf source only, and this trace came from {CaptureNames.Of(Subject.Trace.Source)}"), Evidence.Text(Evidence.Where(Subject)));
        return false;
    }

    private AndConstraint<TraceViewAssertions> DeviceMappings(long bound, bool atMost, string because, object[] becauseArgs)
    {
        string expectation = bound == 0 && atMost ? "to change no device mapping" : $"to change at least {bound} device mappings";
        if (Conclusive(expectation, because, becauseArgs, syscalls: true))
        {
            var changes = Subject.MappingChanges.Where(m => m.Device is { } d && d.StartsWith("/dev/", StringComparison.Ordinal)).ToList();
            bool ok = atMost ? changes.Count <= bound : changes.Count >= bound;
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok)
                .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text(changes.Count),
                    Evidence.Text(Evidence.First(Subject, changes, c => c.Tid, c => c.TimeNs, c => $"{c.Kind.ToString().ToLowerInvariant()} {c.Device} 0x{c.Address:x} ({c.Length:N0} bytes)")), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts that no thread was created in the view's window (perf records thread creation).</summary>
    public AndConstraint<TraceViewAssertions> StartNoThreads(string because = "", params object[] becauseArgs)
    {
        if (Conclusive("to start no thread", because, becauseArgs, syscalls: false) && ThreadsVisible("to start no thread", because, becauseArgs))
        {
            var started = StartedThreads();
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(started.Count == 0)
                .FailWith(FoundTemplate, Evidence.Text("to start no thread"), Evidence.Text(started.Count),
                    Evidence.Text(Evidence.Joined(started.Select(t => Evidence.Thread(Subject.Trace, t.Tid)), 10)), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>
    /// Asserts that the view's threads triggered no .NET garbage collection (needs runtime events:
    /// GpuSpec.Trace(runtimeEvents: true)).
    /// </summary>
    public AndConstraint<TraceViewAssertions> HaveNoGarbageCollections(string because = "", params object[] becauseArgs) =>
        Runtime(RuntimeEventKind.GarbageCollection, "garbage collections", because, becauseArgs);

    /// <summary>Asserts at least <paramref name="min"/> .NET garbage collections in the view (needs runtime
    /// events).</summary>
    public AndConstraint<TraceViewAssertions> HaveAtLeastGarbageCollections(long min, string because = "", params object[] becauseArgs)
    {
        Guard(min, atMost: false);
        string expectation = $"to have at least {min} garbage collections";
        if (Conclusive(expectation, because, becauseArgs, syscalls: false))
        {
            if (!Subject.Trace.RuntimeEventsRecorded)
            {
                Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation),
                    Evidence.Text(".NET runtime events were not recorded; start the trace with GpuSpec.Trace(runtimeEvents: true)"), Evidence.Text(Evidence.Where(Subject)));
            }
            else
            {
                long found = Subject.RuntimeEvents.LongCount(e => e.Kind == RuntimeEventKind.GarbageCollection);
                Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(found >= min)
                    .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text(found), Evidence.Text("none"), Evidence.Text(Evidence.Where(Subject)));
            }
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    /// <summary>Asserts that the JIT compiled no method (needs runtime events).</summary>
    public AndConstraint<TraceViewAssertions> HaveNoJitCompilations(string because = "", params object[] becauseArgs) =>
        Runtime(RuntimeEventKind.Jit, "JIT compilations", because, becauseArgs);

    private IEnumerable<SyscallEvent> Ioctls(string nameOrDevice) =>
        Subject.Syscalls.Where(s => s.Ioctl is { } io && (io.DisplayName == nameOrDevice || io.Name == nameOrDevice || io.Device == nameOrDevice));

    // The count comes from the view (per-event records, or in-kernel totals where they belong to the view); the events
    // are only the evidence. A count that was not measured fails as inconclusive.
    private AndConstraint<TraceViewAssertions> Count(string what, Func<Measurement> count, IEnumerable<SyscallEvent> evidence, long bound, bool atMost, string because, object[] becauseArgs)
    {
        Guard(bound, atMost);
        string expectation = bound == 0 && atMost ? $"to make no {what}" : $"to make {(atMost ? "at most" : "at least")} {bound} {what}";
        if (Conclusive(expectation, because, becauseArgs, syscalls: true) && Measured(expectation, count(), because, becauseArgs) is { } found)
        {
            bool ok = atMost ? found <= bound : found >= bound;
            Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok)
                .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text(found), Evidence.Text(Evidence.TopSyscalls(Subject, evidence.ToList())), Evidence.Text(Evidence.Where(Subject)));
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    private long? Measured(string expectation, Measurement m, string because, object[] becauseArgs)
    {
        if (m.Value is { } value)
        {
            return value;
        }
        Execute.Assertion.BecauseOf(because, becauseArgs)
            .FailWith(InconclusiveTemplate, Evidence.Text(expectation), Evidence.Text(m.Source), Evidence.Text(Evidence.Where(Subject)));
        return null;
    }

    private AndConstraint<TraceViewAssertions> Switches(string what, bool? voluntary, long bound, bool atMost, string because, object[] becauseArgs) =>
        Events(what, voluntary, bound, atMost, because, becauseArgs,
            () => (Subject.VoluntarySwitches(), Subject.InvoluntarySwitches()), ("voluntary", "involuntary"),
            Subject.ContextSwitches.Where(c => voluntary is null || c.Voluntary == voluntary), c => c.Tid, c => c.TimeNs, c => c.Voluntary ? "blocked" : "preempted");

    private AndConstraint<TraceViewAssertions> Faults(string what, bool? major, long bound, bool atMost, string because, object[] becauseArgs) =>
        Events(what, !major, bound, atMost, because, becauseArgs,
            () => (Subject.MinorFaults(), Subject.MajorFaults()), ("minor", "major"),
            Subject.PageFaults.Where(f => major is null || f.Major == major), f => f.Tid, f => f.TimeNs, f => $"{(f.Major ? "major" : "minor")} fault at 0x{f.Address:x}");

    // Events of two kinds, counted apart (voluntary and involuntary switches, minor and major faults): the first kind
    // (first true), the second (false) or both (null). A count that was not measured fails as inconclusive.
    private AndConstraint<TraceViewAssertions> Events<T>(string what, bool? first, long bound, bool atMost, string because, object[] becauseArgs,
        Func<(Measurement First, Measurement Second)> counts, (string First, string Second) kinds,
        IEnumerable<T> events, Func<T, int> tid, Func<T, long> time, Func<T, string> describe)
    {
        Guard(bound, atMost);
        string expectation = bound == 0 && atMost ? $"to have no {what}" : $"to have {(atMost ? "at most" : "at least")} {bound} {what}";
        if (Conclusive(expectation, because, becauseArgs, syscalls: false))
        {
            var (a, b) = counts();
            var m = first switch { true => a, false => b, null => a.IsMeasured && b.IsMeasured ? new Measurement(a.Value + b.Value, a.Source) : Measurement.Absent(a.Source) };
            if (!m.IsMeasured)
            {
                Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text(expectation), Evidence.Text(m.Source), Evidence.Text(Evidence.Where(Subject)));
            }
            else
            {
                bool ok = atMost ? m.Value <= bound : m.Value >= bound;
                Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(ok)
                    .FailWith(FoundTemplate, Evidence.Text(expectation), Evidence.Text($"{m.Value} ({a.Value} {kinds.First}, {b.Value} {kinds.Second})"),
                        Evidence.Text(Evidence.First(Subject, events, tid, time, describe)), Evidence.Text(Evidence.Where(Subject)));
            }
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    private AndConstraint<TraceViewAssertions> Runtime(RuntimeEventKind kind, string what, string because, object[] becauseArgs)
    {
        if (Conclusive($"to have no {what}", because, becauseArgs, syscalls: false))
        {
            if (!Subject.Trace.RuntimeEventsRecorded)
            {
                Execute.Assertion.BecauseOf(because, becauseArgs).FailWith(InconclusiveTemplate, Evidence.Text($"to have no {what}"),
                    Evidence.Text(".NET runtime events were not recorded; start the trace with GpuSpec.Trace(runtimeEvents: true)"), Evidence.Text(Evidence.Where(Subject)));
            }
            else
            {
                var events = Subject.RuntimeEvents.Where(e => e.Kind == kind).ToList();
                Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(events.Count == 0)
                    .FailWith(FoundTemplate, Evidence.Text($"to have no {what}"), Evidence.Text(events.Count),
                        Evidence.Text(Evidence.First(Subject, events, e => e.Tid, e => e.TimeNs, e => $"{e.Name} ({e.Detail})")), Evidence.Text(Evidence.Where(Subject)));
            }
        }
        return new AndConstraint<TraceViewAssertions>(this);
    }

    // A missing name is a mistake in the spec: say so before any verdict.
    private static string Named(string name, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(name))] string? parameter = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        return name;
    }

    // A negative bound is a mistake in the spec, not a verdict about the trace.
    private static void Guard(long bound, bool atMost)
    {
        if (bound < 0)
        {
            throw new ArgumentOutOfRangeException(atMost ? "max" : "min", bound, "A count bound cannot be negative.");
        }
    }

    // Lost events, an incomplete capture, or syscalls that were not measured make any verdict unsafe: fail, never pass.
    private bool Conclusive(string expectation, string because, object[] becauseArgs, bool syscalls)
    {
        string? why = Subject.Trace.InconclusiveReason
            ?? (syscalls && !Subject.Trace.SyscallsMeasured ? "no syscall source was permitted (see the trace's notes for the fix)" : null);
        if (why is null)
        {
            return true;
        }
        Execute.Assertion.BecauseOf(because, becauseArgs)
            .FailWith(TraceInconclusiveTemplate, Evidence.Text(expectation), Evidence.Text(why), Evidence.Text(Evidence.Where(Subject)));
        return false;
    }
}
