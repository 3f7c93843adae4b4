using GpuOsSpec.Workloads.Backends;
using GpuOsSpec.Workloads.Backends.GpuOs;
using GpuOsSpec.Workloads.Interop;

namespace GpuOsSpec.Workloads.Catalogue.Workloads;

/// <summary>
/// A server loop: one epoll waits on a socket and on the GPU's completions. A client thread sends a one-byte request
/// and waits for the reply; the loop reads the request, launches a busy-wait kernel, and replies once the kernel is
/// done. Natively a thread per GPU blocks in the vendor's wait (sync mode blocking) and writes an eventfd the loop
/// watches; through gpuos the completion's own fd is in the loop's epoll set. Not in the catalogue: it is the
/// evaluation's server case (`gpuosspec evaluate`), not an axis of the map.
/// </summary>
public sealed class EpollServer() : Workload("epoll-server", "a loop that waits on a socket and the GPU's completions in one epoll: a request, a kernel, a reply",
[
    WorkloadParameter.Int("kernel_us", "busy-wait kernel length per request in microseconds", 1_000, 200),
    WorkloadParameter.Int("requests", "requests served in the steady phase", 30, 5),
])
{
    private const int Request = 0;
    private const int Completion = 1;

    public override void Run(WorkloadRun run)
    {
        var length = TimeSpan.FromMicroseconds(run.Settings.Int("kernel_us"));
        int requests = (int)run.Settings.Int("requests");
        IGpuContext context;
        KernelArgument wait;
        Server server;
        using (run.Phase("setup"))
        {
            context = run.CreateContext(SyncMode.Blocking);
            run.VerifyVectorAdd(context);
            wait = context.BusyWaitArgument(length);
            server = new Server(context, requests + 1);
            server.Serve(context.Kernels.BusyWait, wait);
        }
        using (run.Phase("steady"))
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < requests; i++)
            {
                server.Serve(context.Kernels.BusyWait, wait);
                run.ReportProgress(i, requests);
            }
            run.Count("completions", requests);
            var expected = length * requests;
            run.Check("every request was answered after its kernel", server.Replies == requests + 1 && started.Elapsed >= expected * 0.25,
                $"{server.Replies} replies to {requests + 1} requests; {requests} x {length.TotalMicroseconds:F0} us took {started.Elapsed.TotalMilliseconds:F1} ms");
        }
        using (run.Phase("teardown"))
        {
            server.Dispose();
            context.Dispose();
        }
    }

    /// <summary>The loop's fds and threads: the client, and natively the thread that blocks for the GPU.</summary>
    private sealed unsafe class Server : IDisposable
    {
        private readonly IGpuStream _stream;
        private readonly GpuOsStream? _gpuos;
        private readonly int _epoll;
        private readonly int _loopEnd;
        private readonly int _clientEnd;
        private readonly int _doneFd = -1;
        private readonly Thread _client;
        private readonly Thread? _gpuThread;
        private readonly SemaphoreSlim _handOff = new(0);
        private int? _completionFd;
        private volatile bool _stop;
        private Exception? _gpuFailure;

        internal Server(IGpuContext context, int requests)
        {
            if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64)
            {
                throw new NotSupportedException("epoll-server lays out struct epoll_event as x86-64 packs it; other architectures are not built");
            }
            _stream = context.DefaultStream;
            _gpuos = _stream as GpuOsStream;
            int* fds = stackalloc int[2];
            Check(Libc.SocketPair(1 /* AF_UNIX */, 1 /* SOCK_STREAM */ | 0x80000 /* SOCK_CLOEXEC */, 0, fds), "socketpair");
            _loopEnd = fds[0];
            _clientEnd = fds[1];
            _epoll = Check(Libc.EpollCreate1(0x80000 /* EPOLL_CLOEXEC */), "epoll_create1");
            Add(_loopEnd, Request);
            if (_gpuos is null)
            {
                _doneFd = Check(Libc.EventFd(0, 0x80000 /* EFD_CLOEXEC */ | 0x800 /* EFD_NONBLOCK */), "eventfd");
                Add(_doneFd, Completion);
                _gpuThread = new Thread(BlockForTheGpu) { IsBackground = true, Name = "epoll-gpu-wait" };
                _gpuThread.Start();
            }
            _client = new Thread(() => Client(requests)) { IsBackground = true, Name = "epoll-client" };
            _client.Start();
        }

        internal int Replies { get; private set; }

        // One request: read it, launch, wait in the epoll set for the completion, reply.
        internal void Serve(IGpuKernel kernel, KernelArgument wait)
        {
            WaitFor(Request);
            byte b;
            Check((int)Libc.Read(_loopEnd, &b, 1), "read(request)");
            _stream.Launch(kernel, LaunchShape.Single, wait);
            if (_gpuos is not null)
            {
                int fd = _gpuos.ArmForPoll();
                if (_completionFd is null)
                {
                    _completionFd = fd;
                    Add(fd, Completion);
                }
                do
                {
                    WaitFor(Completion);
                    Drain(fd);
                }
                while (!_gpuos.FinishPolledWait());
            }
            else
            {
                _handOff.Release();
                WaitFor(Completion);
                Drain(_doneFd);
                if (_gpuFailure is { } failure)
                {
                    throw new InvalidOperationException($"the GPU thread's wait failed: {failure.Message}", failure);
                }
            }
            Check((int)Libc.Write(_loopEnd, &b, 1), "write(reply)");
            Replies++;
        }

        private void WaitFor(int what)
        {
            EpollEvent* events = stackalloc EpollEvent[2];
            for (;;)
            {
                int n = Libc.EpollWait(_epoll, events, 2, -1);
                if (n < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == 4 /* EINTR */)
                {
                    continue;
                }
                Check(n, "epoll_wait");
                for (int i = 0; i < n; i++)
                {
                    if ((int)events[i].Data == what)
                    {
                        return;
                    }
                }
            }
        }

        private static void Drain(int fd)
        {
            ulong value;
            Libc.Read(fd, &value, 8);
        }

        private void Add(int fd, int what)
        {
            var ev = new EpollEvent { Events = 1 /* EPOLLIN */, Data = (ulong)what };
            Check(Libc.EpollCtl(_epoll, 1 /* EPOLL_CTL_ADD */, fd, &ev), "epoll_ctl");
        }

        private void Client(int requests)
        {
            byte b = 1;
            for (int i = 0; i < requests && !_stop; i++)
            {
                if (Libc.Write(_clientEnd, &b, 1) != 1 || Libc.Read(_clientEnd, &b, 1) != 1)
                {
                    return;
                }
            }
        }

        // The native design: a thread per GPU that blocks in the vendor's wait and tells the loop through an eventfd.
        private void BlockForTheGpu()
        {
            ulong one = 1;
            for (;;)
            {
                _handOff.Wait();
                if (_stop)
                {
                    return;
                }
                try
                {
                    _stream.Synchronize();
                }
                catch (Exception ex)
                {
                    _gpuFailure = ex;
                }
                Libc.Write(_doneFd, &one, 8);
            }
        }

        private static int Check(int result, string call) =>
            result >= 0 ? result : throw new InvalidOperationException($"{call} failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");

        public void Dispose()
        {
            _stop = true;
            _handOff.Release();
            _gpuThread?.Join();
            Libc.Close(_clientEnd);
            _client.Join();
            Libc.Close(_loopEnd);
            Libc.Close(_epoll);
            if (_doneFd >= 0)
            {
                Libc.Close(_doneFd);
            }
        }
    }
}
