// A tracepoint program the verifier refuses (it reads its context's first 8 bytes, the common fields no tracepoint
// program may read), for the loader's tests: the refusal must reach the caller with the verifier's own words, not
// vanish into stderr. No headers: the compiler's BPF target needs none for this, and the kernel's uapi headers want an
// architecture's asm/ folder.
#define SEC(name) __attribute__((section(name), used))

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint/raw_syscalls/sys_enter")
int refused(void *ctx)
{
    return *(long *)ctx != 0;
}
