using System.Runtime.InteropServices;
using System.Text;

namespace GpuOsSpec.Tracing.Platform.Bpf;

/// <summary>
/// One compiled eBPF object (a clang <c>-target bpf</c> ELF file, CO-RE relocated against the running kernel's BTF),
/// loaded with libbpf: open it, size its maps if need be, load it, fill its maps, attach its programs by the names of
/// their C functions. Disposing detaches every program and frees every map. Nothing here knows what the programs do.
/// </summary>
/// <remarks>
/// libbpf writes its messages (the verifier's log among them) into <see cref="Log"/>, never to stderr, and a failure's
/// message carries the tail of it.
/// </remarks>
internal sealed unsafe class BpfObject : IDisposable
{
    private const int LogTail = 1200;
    private readonly string _name;
    private readonly List<nint> _links = [];
    private readonly List<int> _linkFds = [];
    private readonly StringBuilder _log = new();
    private nint _object;
    private byte* _image;
    private bool _loaded;

    private BpfObject(string name) => _name = name;

    /// <summary>What libbpf said while opening, loading and attaching: warnings and information, not debug
    /// lines.</summary>
    internal string Log => _log.ToString();

    /// <summary>Opens the object file at <paramref name="path"/>.</summary>
    /// <exception cref="BpfException">When libbpf is missing or cannot parse the file (a missing file is
    /// ENOENT).</exception>
    internal static BpfObject OpenFile(string path)
    {
        var bpf = new BpfObject(Path.GetFileName(path));
        bpf.Open(() => Interop.Libbpf.ObjectOpenFile(path, 0), $"Opening the eBPF object {path}");
        return bpf;
    }

    /// <summary>Opens an object from its bytes (one embedded in an assembly), under <paramref name="name"/> for
    /// messages.</summary>
    /// <exception cref="BpfException">When libbpf is missing or cannot parse the bytes.</exception>
    internal static BpfObject OpenMemory(ReadOnlySpan<byte> image, string name)
    {
        var bpf = new BpfObject(name);
        // libbpf reads the ELF image in place until the object is loaded: a native copy, freed with the object.
        bpf._image = (byte*)NativeMemory.Alloc((nuint)image.Length);
        image.CopyTo(new Span<byte>(bpf._image, image.Length));
        byte* bytes = bpf._image;
        nuint size = (nuint)image.Length;
        bpf.Open(() => Interop.Libbpf.ObjectOpenMem(bytes, size, 0), $"Opening the eBPF object {name}");
        return bpf;
    }

    /// <summary>Opens the object embedded in <paramref name="assembly"/> as the manifest resource
    /// <paramref name="resource"/>.</summary>
    /// <exception cref="BpfException">When the assembly holds no such resource (the build had no clang), libbpf is
    /// missing, or it cannot parse the bytes.</exception>
    internal static BpfObject OpenEmbedded(System.Reflection.Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new BpfException($"{assembly.GetName().Name} holds no eBPF object {resource}: it was built without clang or bpftool", Interop.Errno.ENOENT);
        var image = new byte[stream.Length];
        stream.ReadExactly(image);
        return OpenMemory(image, resource);
    }

    private void Open(Func<nint> open, string what)
    {
        try
        {
            LibbpfLog.Install();
        }
        catch (DllNotFoundException ex)
        {
            throw new BpfException($"{what} failed: {Interop.Libbpf.LibraryName} cannot be loaded ({ex.Message})", Interop.Errno.ENOENT);
        }
        nint handle;
        using (LibbpfLog.Into(_log))
        {
            handle = open();
        }
        if (handle == 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            Dispose();
            throw Failure(what, errno);
        }
        _object = handle;
    }

    /// <summary>Sizes the map <paramref name="map"/> before <see cref="Load"/>.</summary>
    internal void SetMaxEntries(string map, uint entries)
    {
        if (_loaded)
        {
            throw new InvalidOperationException($"The eBPF object {_name} is loaded: size its maps before.");
        }
        int result = Interop.Libbpf.MapSetMaxEntries(FindMap(map), entries);
        if (result != 0)
        {
            throw Failure($"Sizing the eBPF map {map} to {entries} entries", -result);
        }
    }

    /// <summary>Before <see cref="Load"/>: the map <paramref name="map"/> of this object is
    /// <paramref name="existing"/>, another loaded object's map of the same layout, so that the programs of both write
    /// to one map.</summary>
    internal void ReuseMap(string map, BpfMap existing)
    {
        if (_loaded)
        {
            throw new InvalidOperationException($"The eBPF object {_name} is loaded: hand it its maps before.");
        }
        int result = Interop.Libbpf.MapReuseFd(FindMap(map), existing.Fd);
        if (result != 0)
        {
            throw Failure($"Sharing the eBPF map {existing.Name} as {map}", -result);
        }
    }

    /// <summary>Creates the maps, relocates the programs against the kernel's BTF and loads them (the verifier checks
    /// each).</summary>
    /// <exception cref="BpfException">With the verifier's log when a program is refused.</exception>
    internal void Load()
    {
        int result;
        using (LibbpfLog.Into(_log))
        {
            result = Interop.Libbpf.ObjectLoad(Handle);
        }
        if (result != 0)
        {
            throw Failure($"Loading the eBPF object {_name}", -result);
        }
        _loaded = true;
        // libbpf keeps no pointer into the image once loaded.
        FreeImage();
    }

    /// <summary>The loaded map named <paramref name="name"/> in the C source.</summary>
    internal BpfMap Map(string name)
    {
        nint map = FindMap(name);
        int fd = Interop.Libbpf.MapFd(map);
        if (fd < 0)
        {
            throw new InvalidOperationException($"The eBPF map {name} of {_name} has no fd: load the object first.");
        }
        return new BpfMap(name, fd, Interop.Libbpf.MapMaxEntries(map));
    }

    /// <summary>Attaches the program <paramref name="program"/> as an entry (or return) uprobe at the file offset
    /// <paramref name="offset"/> of <paramref name="binary"/>, for <paramref name="pid"/> (-1: every
    /// process).</summary>
    internal void AttachUprobe(string program, bool returnProbe, int pid, string binary, ulong offset) =>
        Attach(program, p => Interop.Libbpf.ProgramAttachUprobe(p, returnProbe, pid, binary, (nuint)offset),
            $"{(returnProbe ? "uretprobe" : "uprobe")} {binary}+0x{offset:x}");

    /// <summary>Attaches the program <paramref name="program"/> as an entry (or return) uprobe at the file offset
    /// <paramref name="offset"/> of <paramref name="binary"/> for every process, with <paramref name="cookie"/> for the
    /// program to read (bpf_get_attach_cookie): one program can serve many probes and tell them apart.</summary>
    internal void AttachUprobe(string program, bool returnProbe, string binary, ulong offset, ulong cookie)
    {
        var options = new Interop.Libbpf.UprobeOpts
        {
            Size = (nuint)sizeof(Interop.Libbpf.UprobeOpts),
            Cookie = cookie,
            ReturnProbe = returnProbe ? (byte)1 : (byte)0,
        };
        Attach(program, p =>
        {
            var copy = options;
            return Interop.Libbpf.ProgramAttachUprobeOpts(p, -1, binary, (nuint)offset, &copy);
        },
            $"{(returnProbe ? "uretprobe" : "uprobe")} {binary}+0x{offset:x} (cookie {cookie})");
    }

    /// <summary>Attaches the program <paramref name="program"/> to a perf event the caller opened; the link owns the fd
    /// from then on and closes it.</summary>
    internal void AttachPerfEvent(string program, int perfFd) =>
        Attach(program, p => Interop.Libbpf.ProgramAttachPerfEvent(p, perfFd), $"perf event fd {perfFd}");

    /// <summary>
    /// Attaches the program <paramref name="program"/> to a perf event the caller opened and keeps open (a tracefs
    /// uprobe's, say), through a BPF link with <paramref name="cookie"/> for the program to read
    /// (bpf_get_attach_cookie). On a tracepoint or probe event the program joins the event's program array, so it runs
    /// for every hit any perf event on that tracepoint or probe lets through, inherited ones included. The event is
    /// neither enabled nor closed here.
    /// </summary>
    internal void AttachPerfEvent(string program, int perfFd, ulong cookie)
    {
        int programFd = Interop.Libbpf.ProgramFd(FindProgram(program));
        if (programFd < 0)
        {
            throw Failure($"Attaching the eBPF program {program} to perf event fd {perfFd}", -programFd);
        }
        var options = new Interop.Libbpf.LinkCreateOpts { Size = (nuint)sizeof(Interop.Libbpf.LinkCreateOpts), PerfEventCookie = cookie };
        int link;
        using (LibbpfLog.Into(_log))
        {
            link = Interop.Libbpf.LinkCreate(programFd, perfFd, Interop.Libbpf.AttachPerfEvent, &options);
        }
        if (link < 0)
        {
            throw Failure($"Attaching the eBPF program {program} to perf event fd {perfFd} (cookie {cookie})", -link);
        }
        _linkFds.Add(link);
    }

    /// <summary>Attaches the program <paramref name="program"/> where its section says (a tp_btf/ program to its BTF
    /// tracepoint).</summary>
    internal void AttachAuto(string program) => Attach(program, Interop.Libbpf.ProgramAttach, "its section's hook");

    /// <summary>Detaches every program attached so far; the maps and programs stay loaded to be read.</summary>
    internal void Detach()
    {
        foreach (nint link in _links)
        {
            Interop.Libbpf.LinkDestroy(link);
        }
        _links.Clear();
        CloseLinkFds();
    }

    private void CloseLinkFds()
    {
        foreach (int fd in _linkFds)
        {
            Interop.Libc.Close(fd);
        }
        _linkFds.Clear();
    }

    /// <summary>
    /// How many times the kernel skipped a run of the loaded program <paramref name="program"/> because the program was
    /// already running on that CPU (bpf_prog_info's recursion_misses, Linux 5.12): a skipped run did nothing at all.
    /// </summary>
    /// <exception cref="BpfException">When the program is not loaded, or the kernel's answer fails or holds no
    /// recursion_misses.</exception>
    internal long RecursionMisses(string program)
    {
        const int RecursionMissesAt = 208;
        var (info, length) = ProgramInfo(program);
        if (length < RecursionMissesAt + 8)
        {
            throw new BpfException($"The kernel's information on the eBPF program {program} is {length} bytes long and holds no recursion_misses (Linux 5.12 added it), so runs it skipped cannot be known.", 0);
        }
        return (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(info.AsSpan(RecursionMissesAt, 8));
    }

    /// <summary>The kernel's id of the loaded program <paramref name="program"/> (bpf_prog_info's id): what
    /// PERF_EVENT_IOC_QUERY_BPF lists for a tracepoint the program is attached to.</summary>
    /// <exception cref="BpfException">When the program is not loaded, or the kernel's answer fails.</exception>
    internal uint ProgramId(string program)
    {
        const int IdAt = 4;
        var (info, length) = ProgramInfo(program);
        if (length < IdAt + 4)
        {
            throw new BpfException($"The kernel's information on the eBPF program {program} is {length} bytes long and holds no id.", 0);
        }
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(IdAt, 4));
    }

    // struct bpf_prog_info as libbpf 1.1's uapi header lays it out; the kernel writes no more of it than it knows, and
    // says how much it wrote.
    private (byte[] Info, uint Length) ProgramInfo(string program)
    {
        int fd = Interop.Libbpf.ProgramFd(FindProgram(program));
        if (fd < 0)
        {
            throw Failure($"Reading the eBPF program {program}'s information", -fd);
        }
        const int InfoSize = 232;
        var info = new byte[InfoSize];
        uint length = InfoSize;
        fixed (byte* p = info)
        {
            int rc = Interop.Libbpf.ObjGetInfoByFd(fd, p, &length);
            if (rc < 0)
            {
                throw Failure($"Reading the eBPF program {program}'s information", -rc);
            }
        }
        return (info, length);
    }

    /// <summary>
    /// Waits out every program run still in flight on any CPU (a global membarrier: a grace period), then runs the
    /// iter/task program <paramref name="flushIterator"/>, so what the programs left in per-thread or per-CPU state is
    /// written out before it is read. Returns the membarrier's errno when it failed (nothing was flushed), else 0.
    /// </summary>
    internal int FlushAfterGracePeriod(string flushIterator)
    {
        if (Interop.Libc.Membarrier(Interop.Libc.MembarrierCmdGlobal) != 0)
        {
            return Marshal.GetLastPInvokeError();
        }
        RunTaskIterator(flushIterator);
        return 0;
    }

    /// <summary>Runs the iter/task program <paramref name="program"/> once over every task and returns when it is
    /// done.</summary>
    internal void RunTaskIterator(string program)
    {
        nint prog = FindProgram(program);
        nint link;
        using (LibbpfLog.Into(_log))
        {
            link = Interop.Libbpf.ProgramAttachIter(prog, 0);
        }
        if (link == 0)
        {
            throw Failure($"Attaching the eBPF iterator {program}", Marshal.GetLastPInvokeError());
        }
        try
        {
            int fd = Interop.Libbpf.IterCreate(Interop.Libbpf.LinkFd(link));
            if (fd < 0)
            {
                throw Failure($"Creating the eBPF iterator {program}", -fd);
            }
            try
            {
                // The program writes nothing; each read runs it over the next batch of tasks until the end (0).
                var buffer = new byte[4096];
                fixed (byte* b = buffer)
                {
                    while (Interop.Libc.Read(fd, b, (nuint)buffer.Length) > 0)
                    {
                    }
                }
            }
            finally
            {
                Interop.Libc.Close(fd);
            }
        }
        finally
        {
            Interop.Libbpf.LinkDestroy(link);
        }
    }

    private nint FindProgram(string program)
    {
        nint prog = Interop.Libbpf.ObjectFindProgramByName(Handle, program);
        return prog != 0 ? prog : throw new InvalidOperationException($"The eBPF object {_name} has no program {program}.");
    }

    private void Attach(string program, Func<nint, nint> attach, string where)
    {
        nint prog = FindProgram(program);
        nint link;
        using (LibbpfLog.Into(_log))
        {
            link = attach(prog);
        }
        if (link == 0)
        {
            throw Failure($"Attaching the eBPF program {program} to {where}", Marshal.GetLastPInvokeError());
        }
        _links.Add(link);
    }

    private nint FindMap(string name)
    {
        nint map = Interop.Libbpf.ObjectFindMapByName(Handle, name);
        return map != 0 ? map : throw new InvalidOperationException($"The eBPF object {_name} has no map {name}.");
    }

    private nint Handle => _object != 0 ? _object : throw new ObjectDisposedException(_name);

    private BpfException Failure(string what, int errno)
    {
        string log = _log.ToString().Trim();
        if (log.Length > LogTail)
        {
            log = "…" + log[^LogTail..];
        }
        return new BpfException($"{what} failed ({ErrnoNames.Name(errno)})" + (log.Length > 0 ? $": {log}" : ""), errno);
    }

    private void FreeImage()
    {
        if (_image is not null)
        {
            NativeMemory.Free(_image);
            _image = null;
        }
    }

    /// <summary>Detaches every program, then unloads the object (its programs and maps).</summary>
    public void Dispose()
    {
        foreach (nint link in _links)
        {
            Interop.Libbpf.LinkDestroy(link);
        }
        _links.Clear();
        CloseLinkFds();
        if (_object != 0)
        {
            Interop.Libbpf.ObjectClose(_object);
            _object = 0;
        }
        FreeImage();
    }
}
