using System.Buffers.Binary;

namespace GpuOsSpec.Tracing.Sources.Perf;

/// <summary>
/// A minimal eBPF assembler: just the instructions the syscall counter needs, with labels for forward jumps.
/// Encoding per include/uapi/linux/bpf.h: u8 opcode, u8 dst:4|src:4, s16 offset, s32 immediate.
/// </summary>
internal sealed class BpfAssembler
{
    internal const int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R10 = 10;
    internal const int HelperMapLookup = 1;
    internal const int HelperMapUpdate = 2;
    internal const int HelperGetCurrentPidTgid = 14;
    internal const int HelperPerfEventOutput = 25;

    private readonly List<(byte Op, byte Regs, short Off, int Imm)> _code = [];
    private readonly Dictionary<string, int> _labels = [];
    private readonly List<(int At, string Label)> _fixups = [];

    internal int Count => _code.Count;

    internal BpfAssembler MovReg(int dst, int src) => Emit(0xbf, dst, src, 0, 0);
    internal BpfAssembler MovImm(int dst, int imm) => Emit(0xb7, dst, 0, 0, imm);
    internal BpfAssembler AddImm(int dst, int imm) => Emit(0x07, dst, 0, 0, imm);
    internal BpfAssembler RshImm(int dst, int imm) => Emit(0x77, dst, 0, 0, imm);
    internal BpfAssembler LoadDw(int dst, int src, short off) => Emit(0x79, dst, src, off, 0);
    internal BpfAssembler LoadW(int dst, int src, short off) => Emit(0x61, dst, src, off, 0);
    internal BpfAssembler StoreDw(int dst, short off, int src) => Emit(0x7b, dst, src, off, 0);
    internal BpfAssembler StoreW(int dst, short off, int src) => Emit(0x63, dst, src, off, 0);
    internal BpfAssembler StoreImmDw(int dst, short off, int imm) => Emit(0x7a, dst, 0, off, imm);
    internal BpfAssembler StoreImmW(int dst, short off, int imm) => Emit(0x62, dst, 0, off, imm);
    internal BpfAssembler Call(int helper) => Emit(0x85, 0, 0, 0, helper);
    internal BpfAssembler Exit() => Emit(0x95, 0, 0, 0, 0);

    /// <summary>Jumps to <paramref name="label"/> when dst == imm.</summary>
    internal BpfAssembler JumpIfEqual(int dst, int imm, string label) => Jump(0x15, dst, imm, label);
    internal BpfAssembler JumpIfNotEqual(int dst, int imm, string label) => Jump(0x55, dst, imm, label);
    internal BpfAssembler JumpIfGreaterUnsigned(int dst, int imm, string label) => Jump(0x25, dst, imm, label);
    internal BpfAssembler JumpIfGreaterSigned(int dst, int imm, string label) => Jump(0x65, dst, imm, label);
    internal BpfAssembler JumpIfLessSigned(int dst, int imm, string label) => Jump(0xc5, dst, imm, label);

    /// <summary>Loads a map's fd as a map pointer (ld_imm64 with BPF_PSEUDO_MAP_FD).</summary>
    internal BpfAssembler LoadMap(int dst, int mapFd)
    {
        Emit(0x18, dst, 1, 0, mapFd);
        return Emit(0x00, 0, 0, 0, 0);
    }

    /// <summary>Loads a 64-bit constant.</summary>
    internal BpfAssembler LoadImm64(int dst, long value)
    {
        Emit(0x18, dst, 0, 0, unchecked((int)value));
        return Emit(0x00, 0, 0, 0, unchecked((int)(value >> 32)));
    }

    internal BpfAssembler Label(string name)
    {
        _labels[name] = _code.Count;
        return this;
    }

    /// <summary>The program's bytes, jumps resolved.</summary>
    /// <exception cref="InvalidOperationException">When a jump names a label that was never placed.</exception>
    internal byte[] Build()
    {
        foreach (var (at, label) in _fixups)
        {
            if (!_labels.TryGetValue(label, out int target))
            {
                throw new InvalidOperationException($"BPF label {label} was never placed.");
            }
            var insn = _code[at];
            _code[at] = insn with { Off = (short)(target - at - 1) };
        }
        var bytes = new byte[_code.Count * 8];
        for (int i = 0; i < _code.Count; i++)
        {
            var (op, regs, off, imm) = _code[i];
            bytes[i * 8] = op;
            bytes[i * 8 + 1] = regs;
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 8 + 2), off);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 8 + 4), imm);
        }
        return bytes;
    }

    private BpfAssembler Jump(byte op, int dst, int imm, string label)
    {
        _fixups.Add((_code.Count, label));
        return Emit(op, dst, 0, 0, imm);
    }

    private BpfAssembler Emit(byte op, int dst, int src, short off, int imm)
    {
        _code.Add((op, (byte)((src << 4) | (dst & 0xF)), off, imm));
        return this;
    }
}
