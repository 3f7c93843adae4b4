"""A small PyTorch training loop with gpuos phases (data, forward, backward, step) and a gpuos completion as the
per-step wait. Run it under the tracer to get per-phase OS figures:

    gpuosspec trace --mode full --json train.json -- python3 examples/pytorch/train_gpuos.py --steps 50

--native runs the same loop, with the same phase markers (no class, so no scheduler change) but waiting with
torch.cuda.synchronize() instead of a gpuos completion: the comparison changes the wait and nothing else.
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
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--native", action="store_true", help="wait with torch.cuda.synchronize() (markers kept, no class hint)")
    ap.add_argument("--policy", choices=["spin", "park", "adaptive"], default="adaptive")
    ap.add_argument("--extra-alloc", action="store_true",
                    help="a deliberate change for baseline demos: each step frees PyTorch's cached memory and allocates 64 MiB anew")
    args = ap.parse_args()
    if not torch.cuda.is_available():
        print("train_gpuos: no CUDA device; this example needs one", file=sys.stderr)
        return 2
    dev = torch.device("cuda")
    model = torch.nn.Sequential(torch.nn.Linear(1024, 4096), torch.nn.ReLU(), torch.nn.Linear(4096, 1024)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    data = torch.randn(args.batch * 8, 1024, pin_memory=True)
    target = torch.randn(args.batch * 8, 1024, pin_memory=True)
    policy = {"spin": gpuos.SPIN, "park": gpuos.PARK, "adaptive": gpuos.ADAPTIVE}[args.policy]
    done = None if args.native else gpuos.Completion(gpuos.CUDA, fallback=torch.cuda.synchronize)

    # Warm-up outside any phase: cuBLAS handles, allocator pools, kernels loaded.
    for _ in range(3):
        loss = torch.nn.functional.mse_loss(model(data[: args.batch].to(dev)), target[: args.batch].to(dev))
        loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)
    torch.cuda.synchronize()

    step_times = []
    step_cpu = []
    decisions = {}
    cls = gpuos.INHERIT if args.native else gpuos.THROUGHPUT
    for step in range(args.steps):
        t0 = time.perf_counter()
        c0 = time.thread_time()
        i = (step % 8) * args.batch
        with gpuos.phase("train", cls):
            with gpuos.phase("data"):
                x = data[i : i + args.batch].to(dev, non_blocking=True)
                y = target[i : i + args.batch].to(dev, non_blocking=True)
            with gpuos.phase("forward"):
                loss = torch.nn.functional.mse_loss(model(x), y)
            with gpuos.phase("backward"):
                loss.backward()
            with gpuos.phase("step"):
                if args.extra_alloc:
                    torch.cuda.empty_cache()
                    scratch = torch.empty(16 * 1024 * 1024, device=dev)
                    del scratch
                opt.step()
                opt.zero_grad(set_to_none=True)
                if args.native:
                    torch.cuda.synchronize()
                else:
                    done.arm(torch.cuda.current_stream().cuda_stream)
                    info = done.wait(policy)
                    if info is not None:
                        decisions[info.decision] = decisions.get(info.decision, 0) + 1
        step_times.append(time.perf_counter() - t0)
        step_cpu.append(time.thread_time() - c0)
    step_cpu.sort()
    step_times.sort()
    print("train_gpuos: %s, %d steps, median step %.3f ms, median main-thread CPU %.3f ms per step, loss %.4f"
          % ("native" if args.native else "gpuos " + args.policy, args.steps, 1e3 * step_times[len(step_times) // 2],
             1e3 * step_cpu[len(step_cpu) // 2], loss.item()))
    if done is not None:
        # What the waits did (0 spin, 1 park, 2 spin then park, 3 already done, 4 sleep then spin, 5 sleep, spin, park).
        print("train_gpuos: completions %s; wait decisions %s"
              % (done.mechanism, ", ".join("%d: %d" % kv for kv in sorted(decisions.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
