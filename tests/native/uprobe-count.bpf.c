// For the loader's tests: an entry uprobe that counts its hits in an array map, so a test can attach a program by name
// and read a map by name, as the programs of src/GpuOsSpec.Tracing/Bpf do.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} hits SEC(".maps");

SEC("uprobe")
int count_hit(void *ctx)
{
    __u32 key = 0;
    __u64 *count = bpf_map_lookup_elem(&hits, &key);
    // Atomic: the probed function runs on several threads at once.
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}
