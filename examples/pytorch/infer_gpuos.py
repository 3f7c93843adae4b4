"""A PyTorch inference loop with gpuos phases: each request is a phase "request" holding "upload" (host to device),
"forward" (the model, then a wait for the GPU) and "download" (device to host). The waits are PyTorch's own
(torch.cuda.synchronize), so on a machine with more cores than GPUs the driver spins while the GPU works.

--work N runs the model N times per request: the GPU work, and the host's spin-wait for it, grow N-fold while the
syscalls stay the same. A baseline gate must catch that (docs/reliability.md):

    gpuosspec baseline record --out infer.json --runs 5 -- python3 examples/pytorch/infer_gpuos.py
    gpuosspec baseline compare infer.json -- python3 examples/pytorch/infer_gpuos.py --work 2     # fails: on-CPU time
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "gpuos", "python"))

import torch  # noqa: E402

import gpuos  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--work", type=int, default=1, help="model passes per request (the GPU time, and the spin-wait for it, grow with it)")
    args = ap.parse_args()
    if args.requests < 1 or args.batch < 1 or args.work < 1:
        print("infer_gpuos: --requests, --batch and --work must be at least 1", file=sys.stderr)
        return 2
    if not torch.cuda.is_available():
        print("infer_gpuos: no CUDA device; this example needs one", file=sys.stderr)
        return 2
    dev = torch.device("cuda")
    torch.manual_seed(0)
    model = torch.nn.Sequential(*[m for _ in range(4) for m in (torch.nn.Linear(4096, 4096), torch.nn.GELU())]).to(dev).eval()
    inputs = torch.randn(8, args.batch, 4096, pin_memory=True)
    out = torch.empty(args.batch, 4096, pin_memory=True)

    # Warm-up outside any phase: cuBLAS handles, allocator pools, kernels loaded.
    with torch.inference_mode():
        for _ in range(5):
            y = model(inputs[0].to(dev))
            out.copy_(y)
        torch.cuda.synchronize()

        times = []
        for r in range(args.requests):
            t0 = time.perf_counter()
            with gpuos.phase("request"):
                with gpuos.phase("upload"):
                    x = inputs[r % 8].to(dev, non_blocking=True)
                with gpuos.phase("forward"):
                    y = x
                    for _ in range(args.work):
                        y = model(x)
                    torch.cuda.synchronize()
                with gpuos.phase("download"):
                    out.copy_(y)
            times.append(time.perf_counter() - t0)
    times.sort()
    print("infer_gpuos: %d requests, batch %d, work %d, median request %.3f ms" % (args.requests, args.batch, args.work, 1e3 * times[len(times) // 2]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
