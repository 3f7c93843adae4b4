using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using GpuOs.Interop;

namespace GpuOs;

/// <summary>
/// Phases, markers and hints of libgpuos. Where the library is absent, phases and markers are no-ops and one warning
/// goes to stderr, so a program instrumented with gpuos still runs; completions cannot be faked and throw instead.
/// </summary>
public static class GpuOsLibrary
{
    private static int s_warned;
    private static int s_markReturnsStatus;

    /// <summary>True when libgpuos.so was found and loaded.</summary>
    public static bool Available => Native.Loaded;

    /// <summary>Why the library is not available, with the fix; null when it is.</summary>
    public static string? UnavailableReason => Native.Reason;

    /// <summary>Opens a phase on the calling thread; dispose the scope to close it.</summary>
    /// <param name="name">1 to
    /// 63 bytes of UTF-8, without '/' (it joins nested phases into a path) and without control characters.</param>
    /// <param name="workloadClass">The class the OS is told about while the phase is open.</param>
    /// <exception cref="GpuOsException">For an empty or invalid name, an unknown class or nesting deeper than
    /// 32.</exception>
    public static PhaseScope Phase(string name, WorkloadClass workloadClass = WorkloadClass.Inherit)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Usable())
        {
            return default;
        }
        CheckMarshallable(name, "gpuos_phase_begin");
        Check(Native.gpuos_phase_begin(name, (int)workloadClass));
        return new PhaseScope(name);
    }

    /// <summary>Closes the innermost phase, which must be <paramref name="name"/> when given.</summary>
    /// <exception cref="GpuOsException">For an end without a begin or one that names another phase.</exception>
    public static void EndPhase(string? name = null)
    {
        if (Usable())
        {
            Check(Native.gpuos_phase_end(name));
        }
    }

    /// <summary>An instant marker: no syscall; a tracer with a uprobe on gpuos_probe_marker sees it.</summary>
    /// <param name="name">Empty, or a name as <see cref="Phase"/> takes it.</param>
    /// <exception cref="GpuOsException">For an invalid name (no marker is emitted).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Mark(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Usable())
        {
            CheckMarshallable(name, "gpuos_mark");
            int status = Native.gpuos_mark(name);
            if (MarkReturnsStatus())
            {
                Check(status);
            }
        }
    }

    /// <summary>The calling thread's phase depth (0 without the library).</summary>
    public static int Depth => Usable() ? Native.gpuos_phase_depth() : 0;

    /// <summary>Sets the hints applied on class changes; returns the previous ones.</summary>
    public static HintKinds SetHints(HintKinds hints) => Usable() ? (HintKinds)Native.gpuos_set_hints((uint)hints) : HintKinds.None;

    /// <summary>What the hints did so far.</summary>
    public static HintStats HintStats
    {
        get
        {
            if (!Usable())
            {
                return default;
            }
            Native.gpuos_get_hint_stats(out var stats);
            return stats;
        }
    }

    /// <summary>Sets the adaptive policy's spin limit (expected remaining times at or under it are spun); returns the
    /// previous one.</summary>
    public static TimeSpan SetSpinLimit(TimeSpan limit) =>
        TimeSpan.FromTicks(Native.gpuos_set_spin_limit(limit.Ticks * 100) / 100);

    /// <summary>Sets how long before the expected end the adaptive policy's sleep ends (default 100 us); returns the
    /// previous one.</summary>
    public static TimeSpan SetWakeMargin(TimeSpan margin) =>
        TimeSpan.FromTicks(Native.gpuos_set_wake_margin(margin.Ticks * 100) / 100);

    /// <summary>The wait time learned for the phase, or null when none was learned.</summary>
    public static TimeSpan? Learned(string phase)
    {
        long ns = Usable() ? Native.gpuos_learned_ns(phase) : -1;
        return ns < 0 ? null : TimeSpan.FromTicks(ns / 100);
    }

    internal static bool Usable()
    {
        if (Native.Loaded)
        {
            return true;
        }
        if (Interlocked.Exchange(ref s_warned, 1) == 0)
        {
            Console.Error.WriteLine($"gpuos: {Native.Reason}; phases and markers are no-ops.");
        }
        return false;
    }

    // The library checks the bytes it gets; what UTF-8 marshalling would change on the way is refused here: a NUL ends
    // the C string early and a lone surrogate becomes U+FFFD, so two different names would reach it as one. A plain
    // loop, compiled optimized once: a marker in a hot loop must not set off a tier-up recompilation (and its syscalls)
    // inside the phase it marks.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckMarshallable(string name, string call)
    {
        foreach (char c in name)
        {
            if (c == '\0' || char.IsSurrogate(c))
            {
                RefuseUnmarshallable(name, call);
                return;
            }
        }
    }

    private static void RefuseUnmarshallable(string name, string call)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw new GpuOsException(-1, $"{call}: the name contains a NUL character, which would end it early; a name is 1 to 63 bytes of UTF-8 without '/' or control characters");
        }
        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetByteCount(name);
        }
        catch (EncoderFallbackException)
        {
            throw new GpuOsException(-1, $"{call}: the name is not valid UTF-16 (a lone surrogate), so it has no UTF-8 form; a name is 1 to 63 bytes of UTF-8 without '/' or control characters");
        }
    }

    // ABI 1 libraries (an older GPUOS_LIBRARY) return nothing from gpuos_mark: what is in the register then is no
    // status.
    private static bool MarkReturnsStatus()
    {
        if (s_markReturnsStatus == 0)
        {
            s_markReturnsStatus = Native.gpuos_abi_version() >= 2 ? 1 : 2;
        }
        return s_markReturnsStatus == 1;
    }

    internal static int Check(int status) => status >= 0 ? status : throw new GpuOsException(status, Marshal.PtrToStringUTF8(Native.gpuos_last_error()) ?? $"gpuos status {status}");

    /// <summary>An open phase; disposing closes it (once).</summary>
    public readonly struct PhaseScope : IDisposable
    {
        private readonly string? _name;

        internal PhaseScope(string name) => _name = name;

        /// <summary>Closes the phase.</summary>
        /// <exception cref="GpuOsException">When the phase is not the innermost one open on this thread.</exception>
        public void Dispose()
        {
            if (_name is not null)
            {
                EndPhase(_name);
            }
        }
    }
}
