using System.Runtime.InteropServices;
using GpuOsSpec.Tracing.Platform.Interop;
using GpuOsSpec.Tracing.Platform.Processes;
using GpuOsSpec.Tracing.Sources;
using GpuOsSpec.Tracing.Sources.Perf;
using GpuOsSpec.Tracing.Tests.Support;

namespace GpuOsSpec.Tracing.Tests.Capture;

/// <summary>
/// An in-process capture opens its events thread by thread, each with inherit. A thread born from one already attached
/// while the rest are opened inherits its creator's events, and the next pass over /proc attaches it as well: it then
/// has two sets of events, and each of its switches must still count once.
/// </summary>
[Collection(SerialCollection.Name)]
public unsafe partial class InheritedEventsTests
{
    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int Getrusage(int who, long* usage);

    // getrusage(RUSAGE_THREAD): ru_nvcsw, the kernel's own count of the thread's voluntary switches.
    private static long VoluntarySwitches()
    {
        long* usage = stackalloc long[18];
        Getrusage(1, usage);
        return usage[16];
    }

    [SkippableFact]
    public void A_thread_that_inherited_its_creators_events_and_was_attached_itself_has_each_switch_once()
    {
        Requires.Perf();
        VoluntarySwitches();
        Usleep(1);
        using var capture = new PerfCapture(PerfMode.Full, 256, recordFaults: false, enableOnExec: false);
        using var attached = new ManualResetEventSlim();
        using var born = new ManualResetEventSlim();
        using var go = new ManualResetEventSlim();
        int creatorTid = 0, childTid = 0;
        long fromNs = 0, toNs = 0, parked = 0;
        var creator = new Thread(() =>
        {
            Volatile.Write(ref creatorTid, Libc.CurrentTid);
            attached.Wait();
            var child = new Thread(() =>
            {
                Volatile.Write(ref childTid, Libc.CurrentTid);
                born.Set();
                go.Wait();
                long before = VoluntarySwitches();
                fromNs = Clock.NowNs();
                for (int i = 0; i < 20; i++)
                {
                    Usleep(1000);
                }
                toNs = Clock.NowNs();
                parked = VoluntarySwitches() - before;
            });
            child.Start();
            child.Join();
        });
        creator.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref creatorTid) != 0);

        capture.Attach(creatorTid);
        attached.Set();
        born.Wait();
        capture.Attach(childTid);
        capture.Enable();
        go.Set();
        creator.Join();
        capture.Disable();
        capture.DrainAll();
        capture.FinishSyscalls();

        parked.Should().BeGreaterThan(0, "each sleep parks the thread (the kernel's own count)");
        capture.Collector.Switches.Count(s => s.Tid == childTid && s.Voluntary && s.TimeNs >= fromNs && s.TimeNs < toNs)
            .Should().Be((int)parked, "the kernel counted {0} voluntary switches of the thread in that time", parked);
    }
}
