namespace GpuOsSpec.Tracing.Model;

/// <summary>
/// One syscall in one phase path, counted two ways in the same run (<see cref="PhaseCrossCheck"/>): from the calls
/// recorded per event, as full mode reports it, and from the kernel's phase counter, as the default (hybrid) mode
/// reports it. Both are summed over every run of the phase and every thread.
/// </summary>
/// <param name="Path">The phase path.</param>
/// <param name="Syscall">The syscall's name.</param>
/// <param name="FullCalls">Calls recorded per event whose entry fell in one of the phase's runs (full mode's
/// figure).</param>
/// <param name="FullErrors">Of those, the calls that returned an error.</param>
/// <param name="KernelCalls">Calls the kernel counted whose entry came while one of the phase's runs was open (the
/// default mode's figure).</param>
/// <param name="KernelErrors">Of those, the calls that returned an error.</param>
/// <param name="FullCallsByReturn">Calls recorded per event whose return fell in one of the phase's runs. Both ways
/// place a call by its entry, so this is not compared; where <see cref="KernelCalls"/> equals this and not
/// <see cref="FullCalls"/>, the kernel placed calls that crossed a phase boundary while in the kernel by their return
/// (its entry's set was lost), which tells such a difference apart from a lost or extra count.</param>
/// <param name="DifferingTids">The threads whose own calls or errors differ between the two ways (empty when
/// every thread's agree): a row is equal only when each thread's figures are, so the comparison holds for any choice
/// of threads.</param>
public sealed record PhaseCrossCheckRow(string Path, string Syscall, long FullCalls, long FullErrors, long KernelCalls, long KernelErrors,
    long FullCallsByReturn, IReadOnlyList<int> DifferingTids)
{
    /// <summary>True when every thread's calls and errors agree (and so the sums do).</summary>
    public bool Equal => DifferingTids.Count == 0;
}
