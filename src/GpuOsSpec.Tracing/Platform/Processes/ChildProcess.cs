using System.Collections;
using System.Text;

namespace GpuOsSpec.Tracing.Platform.Processes;

/// <summary>
/// A traced command's process, started with posix_spawnp and reaped with waitpid by us, so the wait status tells an
/// exit from a kill: System.Diagnostics.Process reports both as one number (a plain `exit 137` looks like SIGKILL).
/// </summary>
/// <remarks>
/// The child gets every signal at its default disposition and an empty signal mask, as Process.Start gives it
/// (posix_spawn would otherwise pass on the SIGPIPE that .NET ignores), this process's environment, and its stdio.
/// .NET reaps only the children it started itself, so nothing else waits for this one.
/// </remarks>
internal sealed class ChildProcess : IDisposable
{
    private readonly Thread _waiter;
    private readonly ManualResetEventSlim _exited = new();
    private int _status;

    private ChildProcess(int pid)
    {
        Id = pid;
        _waiter = new Thread(Wait) { IsBackground = true, Name = "gpuosspec-wait" };
        _waiter.Start();
    }

    /// <summary>The process id.</summary>
    internal int Id { get; }

    /// <summary>True once the process has ended and been reaped.</summary>
    internal bool HasExited => _exited.IsSet;

    /// <summary>The signal that killed the process, or null when it exited.</summary>
    internal int? Signal => (_status & 0x7F) is var s and > 0 and < 0x7F ? s : null;

    /// <summary>True when the kill by <see cref="Signal"/> dumped core.</summary>
    internal bool CoreDumped => Signal is not null && (_status & 0x80) != 0;

    /// <summary>The exit code as a shell reports it: the code passed to exit, or 128 + the signal that killed
    /// it.</summary>
    internal int ExitCode => Signal is { } s ? 128 + s : (_status >> 8) & 0xFF;

    /// <summary>Starts <paramref name="file"/> (looked up on PATH when it has no '/') with <paramref name="argv"/>
    /// (argv[0] first).</summary>
    /// <exception cref="CommandNotFoundException">When the program cannot be run (missing,
    /// not executable, not a program).</exception>
    internal static unsafe ChildProcess Start(string file, IReadOnlyList<string> argv)
    {
        var strings = new List<nint>();
        try
        {
            nint Utf8(string s)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(s + "\0");
                nint p = System.Runtime.InteropServices.Marshal.AllocHGlobal(bytes.Length);
                System.Runtime.InteropServices.Marshal.Copy(bytes, 0, p, bytes.Length);
                strings.Add(p);
                return p;
            }
            var env = new List<string>();
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            {
                env.Add($"{e.Key}={e.Value}");
            }
            nint* args = stackalloc nint[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++)
            {
                args[i] = Utf8(argv[i]);
            }
            args[argv.Count] = 0;
            nint[] envp = new nint[env.Count + 1];
            for (int i = 0; i < env.Count; i++)
            {
                envp[i] = Utf8(env[i]);
            }
            byte* attributes = stackalloc byte[Libc.PosixSpawnattrSize];
            byte* all = stackalloc byte[Libc.SigsetSize];
            byte* none = stackalloc byte[Libc.SigsetSize];
            Libc.Sigfillset(all);
            Libc.Sigemptyset(none);
            Libc.PosixSpawnattrInit(attributes);
            try
            {
                Libc.PosixSpawnattrSetsigdefault(attributes, all);
                Libc.PosixSpawnattrSetsigmask(attributes, none);
                Libc.PosixSpawnattrSetflags(attributes, Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK);
                fixed (nint* e = envp)
                {
                    int error = Libc.PosixSpawnp(out int pid, (byte*)Utf8(file), 0, attributes, (byte**)args, (byte**)e);
                    if (error != 0)
                    {
                        throw new CommandNotFoundException($"{file}: cannot run it: " + error switch
                        {
                            Errno.ENOENT => "no such file (or its #! interpreter is missing).",
                            Errno.EACCES => "permission denied (not executable, or a folder on the way is not searchable).",
                            Errno.ENOEXEC => "not a program the kernel can run. Fix: a script needs a #! line.",
                            _ => $"{ErrnoNames.Name(error)}.",
                        });
                    }
                    return new ChildProcess(pid);
                }
            }
            finally
            {
                Libc.PosixSpawnattrDestroy(attributes);
            }
        }
        finally
        {
            strings.ForEach(System.Runtime.InteropServices.Marshal.FreeHGlobal);
        }
    }

    /// <summary>Waits up to <paramref name="milliseconds"/> for the process to end; true when it has.</summary>
    internal bool WaitForExit(int milliseconds) => _exited.Wait(milliseconds);

    /// <summary>Waits for the process to end.</summary>
    internal void WaitForExit() => _exited.Wait();

    /// <summary>Sends <paramref name="signal"/> unless the process has already been reaped (its pid may be reused
    /// then).</summary>
    internal void Send(int signal)
    {
        if (!_exited.IsSet)
        {
            Libc.Kill(Id, signal);
        }
    }

    private void Wait()
    {
        while (true)
        {
            int r = Libc.Waitpid(Id, out int status, 0);
            if (r == Id)
            {
                _status = status;
                break;
            }
            if (r == -1 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EINTR)
            {
                break;
            }
        }
        _exited.Set();
    }

    public void Dispose()
    {
        if (!_exited.IsSet)
        {
            Libc.Kill(Id, Libc.SIGKILL);
            _exited.Wait(5000);
        }
        _exited.Dispose();
    }
}
