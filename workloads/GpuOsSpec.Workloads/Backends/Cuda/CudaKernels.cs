using GpuOsSpec.Workloads.Backends;

namespace GpuOsSpec.Workloads.Backends.Cuda;

/// <summary>The standard kernels as hand-written PTX (ISA 7.0, sm_70: the driver JIT-compiles it for newer
/// GPUs).</summary>
internal static class CudaKernels
{
    internal static KernelSource Source { get; } = new("ptx", """
        .version 7.0
        .target sm_70
        .address_size 64

        .visible .entry empty()
        {
            ret;
        }

        .visible .entry vadd(.param .u64 pa, .param .u64 pb, .param .u64 pc, .param .u32 pn)
        {
            .reg .pred %p<2>;
            .reg .b32 %r<6>;
            .reg .b64 %rd<10>;
            .reg .f32 %f<4>;
            ld.param.u64 %rd1, [pa];
            ld.param.u64 %rd2, [pb];
            ld.param.u64 %rd3, [pc];
            ld.param.u32 %r1, [pn];
            mov.u32 %r2, %ctaid.x;
            mov.u32 %r3, %ntid.x;
            mov.u32 %r4, %tid.x;
            mad.lo.s32 %r5, %r2, %r3, %r4;
            setp.ge.u32 %p1, %r5, %r1;
            @%p1 bra DONE;
            cvta.to.global.u64 %rd1, %rd1;
            cvta.to.global.u64 %rd2, %rd2;
            cvta.to.global.u64 %rd3, %rd3;
            mul.wide.u32 %rd4, %r5, 4;
            add.s64 %rd5, %rd1, %rd4;
            add.s64 %rd6, %rd2, %rd4;
            add.s64 %rd7, %rd3, %rd4;
            ld.global.f32 %f1, [%rd5];
            ld.global.f32 %f2, [%rd6];
            add.f32 %f3, %f1, %f2;
            st.global.f32 [%rd7], %f3;
        DONE:
            ret;
        }

        .visible .entry busywait(.param .u64 pns)
        {
            .reg .pred %p<2>;
            .reg .b64 %rd<5>;
            ld.param.u64 %rd1, [pns];
            mov.u64 %rd2, %globaltimer;
        LOOP:
            mov.u64 %rd3, %globaltimer;
            sub.s64 %rd4, %rd3, %rd2;
            setp.lt.u64 %p1, %rd4, %rd1;
            @%p1 bra LOOP;
            ret;
        }

        .visible .entry touch(.param .u64 pbuf, .param .u32 pn)
        {
            .reg .pred %p<2>;
            .reg .b32 %r<6>;
            .reg .b64 %rd<5>;
            ld.param.u64 %rd1, [pbuf];
            ld.param.u32 %r1, [pn];
            mov.u32 %r2, %ctaid.x;
            mov.u32 %r3, %ntid.x;
            mov.u32 %r4, %tid.x;
            mad.lo.s32 %r5, %r2, %r3, %r4;
            setp.ge.u32 %p1, %r5, %r1;
            @%p1 bra DONE;
            cvta.to.global.u64 %rd1, %rd1;
            mul.wide.u32 %rd2, %r5, 4;
            add.s64 %rd3, %rd1, %rd2;
            st.global.u32 [%rd3], %r5;
        DONE:
            ret;
        }
        """);
}
