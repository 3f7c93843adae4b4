using System.Globalization;
using System.Text;

namespace GpuOsSpec.Tracing.Export;

/// <summary>
/// The human-readable summary `gpuosspec trace` prints: syscalls by role, top syscalls and ioctls, switches, faults,
/// lost events. Every name in it (command, threads, syscalls, devices, ioctls, API calls, phases, notes) goes through
/// <see cref="NameEscaping.ForText"/>, so a control character in a name never splits a row or forges one.
/// </summary>
public static class TraceSummary
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    private static string E(string name) => NameEscaping.ForText(name);

    /// <summary>Renders the summary of a view (the whole capture by default).</summary>
    public static string Render(Trace trace, TraceView? view = null, int top = 10)
    {
        view ??= trace.AllThreads();
        var sb = new StringBuilder();
        sb.AppendLine(s_inv, $"target   {E(trace.Target)}");
        sb.AppendLine(s_inv, $"source   {CaptureNames.Of(trace.Source)} ({CaptureNames.Of(trace.Mode)}), {trace.Architecture}, Linux {trace.KernelRelease}");
        sb.AppendLine(s_inv, $"window   {(trace.EndNs - trace.StartNs) / 1e6:F1} ms{(trace.ExitCode is { } c ? $", exit code {c}" : "")}");
        sb.AppendLine(s_inv, $"lost     {trace.LostEvents:N0} kernel events{(trace.RuntimeEventsRecorded ? $", {trace.LostRuntimeEvents:N0} runtime events" : "")}");
        if (trace.Incomplete)
        {
            sb.AppendLine(s_inv, $"INCOMPLETE: {E(trace.IncompleteReason ?? "")}");
        }
        if (trace.InconclusiveReason is { } why)
        {
            sb.AppendLine(s_inv, $"INCONCLUSIVE: {E(why)}. No assertion may pass on this trace.");
        }
        if (trace.Control is { } control)
        {
            sb.AppendLine(s_inv, $"control  {control.Seen} of {control.Expected} positive controls seen ({control.What})");
        }
        sb.AppendLine();
        if (!trace.SyscallsMeasured)
        {
            sb.AppendLine("syscalls n/a (no syscall source was permitted; see notes)");
        }
        else
        {
            var totals = view.SyscallTotals();
            var byRole = view.CountByRole();
            sb.AppendLine("syscalls by role                 calls     errors   kernel time");
            foreach (var (role, measured) in byRole.Where(kv => kv.Value.Value is not 0).OrderByDescending(kv => kv.Value.Value ?? long.MaxValue))
            {
                if (measured.Value is not { } count)
                {
                    sb.AppendLine(s_inv, $"  {RoleNames.Of(role),-26} {"n/a",10} ({measured.Source})");
                    continue;
                }
                var rows = role == SyscallRole.Other ? totals.Where(t => t.Role == role && t.Name != "ioctl") : totals.Where(t => t.Role == role && t.Name != "ioctl");
                var ioctls = view.Syscalls.Where(s => s.Name == "ioctl" && s.Role == role).ToList();
                long errors = rows.Sum(r => r.Errors ?? 0) + ioctls.LongCount(s => s.Failed);
                long ns = rows.Sum(r => r.KernelNs ?? 0) + ioctls.Sum(s => s.DurationNs ?? 0);
                bool counted = rows.Any(r => !r.PerEvent);
                sb.AppendLine(s_inv, $"  {RoleNames.Of(role),-26} {count,10:N0} {errors,10:N0}{(counted ? "*" : " ")} {ns / 1e6,10:F3} ms{(counted ? "*" : "")}");
            }
            sb.AppendLine(s_inv, $"  {"total",-26} {view.SyscallCount(),10}");
            if (totals.Any(t => !t.PerEvent))
            {
                sb.AppendLine("  * part of this role was counted in the kernel only: its errors and time are not measured (not zero)");
            }
            sb.AppendLine();
            sb.AppendLine(s_inv, $"top syscalls");
            foreach (var t in totals.Take(top))
            {
                string errors = t.Errors is { } e ? $"{e:N0} errors" : "errors n/a";
                string time = t.KernelNs is { } k ? $"{k / 1e6:F3} ms" : "time n/a";
                sb.AppendLine(s_inv, $"  {E(t.Name),-22} {t.Count,10:N0}  {errors,-14} {time,-14} {(t.PerEvent ? "" : "(counted)")}");
            }
            var ioctlTotals = view.Ioctls();
            if (ioctlTotals.Count > 0)
            {
                sb.AppendLine();
                // By device, device files first: a program's terminal and pipe ioctls must not crowd out the driver's.
                sb.AppendLine("top ioctls, by device");
                var devices = ioctlTotals.GroupBy(i => i.Device)
                    .OrderBy(g => g.Key.StartsWith("/dev/", StringComparison.Ordinal) && !g.Key.StartsWith("/dev/pts", StringComparison.Ordinal) && !g.Key.StartsWith("/dev/tty", StringComparison.Ordinal) ? 0 : 1)
                    .ThenByDescending(g => g.Sum(i => i.Count)).ToList();
                foreach (var device in devices.Take(top))
                {
                    sb.AppendLine(s_inv, $"  {E(device.Key)} ({device.Sum(i => i.Count):N0})");
                    foreach (var i in device.Take(top))
                    {
                        sb.AppendLine(s_inv, $"    {i.Count,8:N0}  {E(i.Name),-40} {RoleNames.Of(i.Role)}{(i.Errors > 0 ? $", {i.Errors:N0} failed" : "")}");
                    }
                    if (device.Count() > top)
                    {
                        sb.AppendLine(s_inv, $"    … {device.Count() - top} more");
                    }
                }
                if (devices.Count > top)
                {
                    sb.AppendLine(s_inv, $"  … {devices.Count - top} more device(s)");
                }
                long unknown = ioctlTotals.Where(i => !i.Known).Sum(i => i.Count);
                if (unknown > 0)
                {
                    sb.AppendLine(s_inv, $"  {unknown:N0} ioctl call(s) had requests in no decoding table; they are listed with their raw fields");
                }
            }
        }
        sb.AppendLine();
        sb.AppendLine(s_inv, $"context switches  voluntary {view.VoluntarySwitches()}, involuntary {view.InvoluntarySwitches()} ({view.VoluntarySwitches().Source})");
        sb.AppendLine(s_inv, $"page faults       minor {view.MinorFaults()}, major {view.MajorFaults()} ({view.MinorFaults().Source})");
        var threads = trace.Threads;
        sb.AppendLine(s_inv, $"threads           {threads.Count} ({string.Join(", ", threads.GroupBy(t => t.Origin).Select(g => $"{g.Count()} {g.Key}"))})");
        foreach (var t in threads.Take(top))
        {
            sb.AppendLine(s_inv, $"  {t.Tid,8} {E(t.Name),-16} {t.Origin}{(t.CreatedDuringCapture ? ", created during capture" : "")}");
        }
        if (threads.Count > top)
        {
            sb.AppendLine(s_inv, $"  … {threads.Count - top} more");
        }
        if (trace.ApiCallsRecorded)
        {
            var costs = view.ApiCosts();
            sb.AppendLine();
            sb.AppendLine("API calls (uprobes)                    calls   syscalls/call  ioctls/call  blocked/call  faults/call  OS-invisible");
            foreach (var a in costs.Take(2 * top))
            {
                string faults = a.PageFaults is { } f ? (f / (double)a.Calls).ToString("F2", s_inv) : "n/a";
                string invisible = a.OsInvisibleShare is { } share ? share.ToString("P1", s_inv) : "n/a";
                string perCall = a.SyscallsPerCall is { } p ? p.ToString("F2", s_inv) : "n/a";
                sb.AppendLine(s_inv, $"  {E(a.Name),-34} {a.Calls,9:N0} {perCall,14} {a.Ioctls / (double)a.Calls,12:F2} {a.VoluntarySwitches / (double)a.Calls,13:F2} {faults,12} {invisible,12}");
            }
            if (trace.ApiSyscallsUnmeasured is { } unmeasured && costs.Count > 0)
            {
                sb.AppendLine(s_inv, $"  syscalls/call and OS-invisible n/a: {unmeasured}");
            }
            if (!trace.ApiFaultsMeasured && costs.Count > 0)
            {
                sb.AppendLine("  faults/call and OS-invisible n/a: page faults were not recorded as events (--no-fault-events, or left to hybrid mode's phase counter: --fault-events records them)");
            }
            if (costs.Count == 0)
            {
                sb.AppendLine("  none: the program called no probed entry point");
            }
        }
        if (view.PhaseFilter is null && trace.Phases.Count > 0)
        {
            // Per phase path, summed over its runs: a training loop's "forward" is one line, not one per step.
            sb.AppendLine();
            sb.AppendLine("phases                              runs    time (ms)   syscalls   ioctls   voluntary cs   per run: syscalls");
            foreach (var runs in trace.Phases.GroupBy(p => p.Path).Take(4 * top))
            {
                var first = runs.First();
                var pv = view.InPhase(first.Path);
                var calls = pv.SyscallCount();
                string perRun = calls.Value is { } v ? (v / (double)runs.Count()).ToString("F1", s_inv) : "n/a";
                string cls = first.Class == PhaseClass.None ? "" : $" [{first.Class}]";
                sb.AppendLine(s_inv, $"  {E(first.Path) + cls,-32} {runs.Count(),6:N0} {runs.Sum(r => r.DurationNs) / 1e6,12:F3} {calls,10} {pv.Calls("ioctl"),8} {pv.VoluntarySwitches(),14} {perRun,19}");
            }
        }
        if (trace.PhaseCrossCheck is { } check)
        {
            RenderCrossCheck(sb, check, 2 * top);
        }
        if (trace.Notes.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("notes");
            foreach (string n in trace.Notes)
            {
                sb.AppendLine(s_inv, $"  - {E(n)}");
            }
        }
        return sb.ToString();
    }

    // The cross-check's verdict first, then the figures that differ: full mode's, the kernel's, and full mode's by
    // return (where it equals the kernel's, the calls crossed a phase boundary while in the kernel).
    private static void RenderCrossCheck(StringBuilder sb, PhaseCrossCheck check, int rows)
    {
        sb.AppendLine();
        if (!check.Compared)
        {
            sb.AppendLine(s_inv, $"phase cross-check NOT COMPARED: {E(check.Reason ?? "")}");
            return;
        }
        var differences = check.Differences;
        var figureDifferences = check.FigureDifferences;
        sb.AppendLine(differences.Count == 0 && figureDifferences.Count == 0
            ? string.Create(s_inv, $"phase cross-check EQUAL: in {check.Paths.Count:N0} phase path(s), {check.Rows.Count:N0} (phase, syscall) figure(s) and {check.Figures.Count:N0} (phase, switch or fault) figure(s) of full mode's events equal the kernel's phase counter's (the default mode's), thread by thread")
            : string.Create(s_inv, $"phase cross-check DIFFERENT: {differences.Count:N0} of {check.Rows.Count:N0} (phase, syscall) figure(s) and {figureDifferences.Count:N0} of {check.Figures.Count:N0} (phase, switch or fault) figure(s) in {check.Paths.Count:N0} phase path(s) differ between full mode's events and the kernel's phase counter (the default mode's)"));
        sb.AppendLine(s_inv, $"  (the syscalls the default mode records per event, as full mode does, are not compared: {check.PerEventInDefaultMode.Count} names)");
        foreach (string why in check.FiguresNotCompared)
        {
            sb.AppendLine(s_inv, $"  not compared: {E(why)}");
        }
        if (check.OnCpu.Count > 0)
        {
            sb.AppendLine("  on-CPU ms side by side, not held equal (the kernel splits a thread's time only at its own switches and markers):");
            sb.AppendLine("  phase                            full ms    kernel ms  openers: full ms  kernel ms");
            foreach (var t in check.OnCpu.Take(rows))
            {
                sb.AppendLine(s_inv, $"  {E(t.Path),-32} {t.FullNs / 1e6,8:F3} {t.KernelNs / 1e6,12:F3} {t.OpenersFullNs / 1e6,17:F3} {t.OpenersKernelNs / 1e6,10:F3}");
            }
        }
        var unordered = check.Figures.Where(f => f.Unordered > 0).ToList();
        if (unordered.Count > 0)
        {
            sb.AppendLine(s_inv, $"  {unordered.Sum(f => f.Unordered):N0} event(s) in {unordered.Count:N0} figure(s) fell at another thread's phase boundary where no clock orders them (between their own readings of the boundary), so the two ways place them on opposite sides; every other event of those threads agrees:");
            foreach (var f in unordered.Take(rows))
            {
                string tids = string.Join(",", f.UnorderedTids.Take(5)) + (f.UnorderedTids.Count > 5 ? $" +{f.UnorderedTids.Count - 5}" : "");
                sb.AppendLine(s_inv, $"  {E(f.Path),-32} {f.Figure,-20} full {f.Full,8:N0} kernel {f.Kernel,8:N0}  unordered {f.Unordered,4:N0}  {tids}");
            }
        }
        if (figureDifferences.Count > 0)
        {
            sb.AppendLine("  phase                            figure                     full     kernel  threads");
            foreach (var d in figureDifferences.Take(rows))
            {
                string tids = string.Join(",", d.DifferingTids.Take(5)) + (d.DifferingTids.Count > 5 ? $" +{d.DifferingTids.Count - 5}" : "");
                sb.AppendLine(s_inv, $"  {E(d.Path),-32} {d.Figure,-20} {d.Full,10:N0} {d.Kernel,10:N0}  {tids}");
            }
        }
        if (differences.Count == 0)
        {
            return;
        }
        sb.AppendLine("  phase                            syscall              full calls  errors  kernel calls  errors  full by return  threads");
        foreach (var d in differences.Take(rows))
        {
            string tids = string.Join(",", d.DifferingTids.Take(5)) + (d.DifferingTids.Count > 5 ? $" +{d.DifferingTids.Count - 5}" : "");
            sb.AppendLine(s_inv, $"  {E(d.Path),-32} {E(d.Syscall),-20} {d.FullCalls,10:N0} {d.FullErrors,7:N0} {d.KernelCalls,13:N0} {d.KernelErrors,7:N0} {d.FullCallsByReturn,15:N0}  {tids}");
        }
        if (differences.Count > rows)
        {
            sb.AppendLine(s_inv, $"  ... and {differences.Count - rows:N0} more (--json has every row)");
        }
    }
}
