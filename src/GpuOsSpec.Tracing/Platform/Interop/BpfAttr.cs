using System.Runtime.InteropServices;

namespace GpuOsSpec.Tracing.Platform.Interop;

// The members of union bpf_attr the counter uses (include/uapi/linux/bpf.h), each the prefix of its command's layout.
// The kernel accepts a shorter attribute than its own, provided the bytes it does not get would be zero.

/// <summary>BPF_MAP_CREATE: map_type, key_size, value_size, max_entries, map_flags, inner_map_fd, numa_node,
/// map_name.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfMapCreateAttr
{
    public uint MapType;
    public uint KeySize;
    public uint ValueSize;
    public uint MaxEntries;
    public uint MapFlags;
    public uint InnerMapFd;
    public uint NumaNode;
    public fixed byte MapName[16];
}

/// <summary>BPF_MAP_LOOKUP_ELEM and BPF_MAP_UPDATE_ELEM: map_fd, (pad), key, value, flags.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BpfMapElemAttr
{
    public uint MapFd;
    private readonly uint _pad;
    public ulong Key;
    public ulong Value;
    public ulong Flags;
}

/// <summary>BPF_PROG_LOAD up to prog_name: prog_type, insn_cnt, insns, license, log_level, log_size, log_buf,
/// kern_version, prog_flags, prog_name.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct BpfProgLoadAttr
{
    public uint ProgType;
    public uint InsnCount;
    public ulong Insns;
    public ulong License;
    public uint LogLevel;
    public uint LogSize;
    public ulong LogBuf;
    public uint KernVersion;
    public uint ProgFlags;
    public fixed byte ProgName[16];
}
