#!/usr/bin/env python3
"""Picks each OpenCL platform's wake-up primitives from `gpuosspec evaluate` runs, one run per candidate.

    python3 tools/pick-wakeups.py DIR/opencl-status-wait/evaluation.json DIR/opencl-wait-backoff/evaluation.json ...

Each run's folder is named opencl-<candidate>; a candidate is status-wait (spin on clGetEventInfo, park in
clWaitForEvents), wait-backoff (spin in clWaitForEvents, park in back-off sleeps) or callback (the first design:
clSetEventCallback writes an eventfd). The rule, fixed before the H200 run that used it:
  1. fewest "worse" verdicts over the three wait policies (spin, park, adaptive) and their four metrics;
  2. then the least sum of the three policies' median syscalls per wait through gpuos;
  3. then the least sum of their median overshoots.
Prints the reasoning, and on its last line the GPUOS_OPENCL_WAKE value that applies each platform's choice.
"""
import json
import os
import sys

CANDIDATES = {"status-wait": "spin=status,park=wait", "wait-backoff": "spin=wait,park=backoff", "callback": "callback"}
PLATFORM_PREFIX = {"opencl-nvidia": "NVIDIA", "opencl-pocl": "Portable"}
WAIT_POLICIES = ("spin (gpuos spin)", "blocking (gpuos park)", "auto (gpuos adaptive)")


def score(cases, vendor):
    rows = [c for c in cases if c["vendor"] == vendor and c["policy"] in WAIT_POLICIES]
    if len(rows) < 12 or any(c["gpuOs"] is None for c in rows):
        return None
    worse = sum(1 for c in rows if c["verdict"] == "worse")
    syscalls = sum(c["gpuOs"]["median"] for c in rows if c["metric"] == "syscalls per wait")
    overshoot = sum(c["gpuOs"]["median"] for c in rows if c["metric"].startswith("wait overshoot"))
    return worse, syscalls, overshoot


def main(paths):
    scores = {}
    for path in paths:
        name = os.path.basename(os.path.dirname(path)).removeprefix("opencl-")
        if name not in CANDIDATES:
            print("skipped %s: not a candidate (%s)" % (path, ", ".join(CANDIDATES)))
            continue
        try:
            with open(path) as f:
                cases = json.load(f)["cases"]
        except (OSError, ValueError, KeyError) as e:
            print("skipped %s: %s" % (name, e))
            continue
        for vendor in PLATFORM_PREFIX:
            s = score(cases, vendor)
            print("%s, %s: %s" % (vendor, name, "not measured" if s is None
                                  else "%d worse, %.2f syscalls per wait (sum of 3 policies), %.0f us overshoot (sum)" % s))
            if s is not None:
                scores.setdefault(vendor, []).append((s, name))
    items = []
    for vendor, prefix in PLATFORM_PREFIX.items():
        if vendor not in scores:
            print("%s: no candidate measured; the library's default stays" % vendor)
            continue
        best = min(scores[vendor])
        print("%s: picked %s (%s)" % (vendor, best[1], CANDIDATES[best[1]]))
        items.append("%s@%s" % (prefix, CANDIDATES[best[1]]))
    print(";".join(items))


if __name__ == "__main__":
    main(sys.argv[1:])
