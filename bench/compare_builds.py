#!/usr/bin/env python3
"""Compares the benchmark rates of two builds, run alternately on one machine.

    python3 bench/compare_builds.py --base /tmp/base/build/bin \\
        --head build/bin agenda_bench store_bench

For each binary, runs the base build's and this build's in turn (three
rounds each, alternating, so a change in the machine's load touches both),
takes the median items_per_second of every benchmark both builds have, and
prints head / base per benchmark. A refactoring that is meant to change no
behaviour should show ratios near 1; the spread between rounds is printed
beside each, as the noise to judge them by. Standard library only; exits 2
when a binary cannot be run.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from typing import Dict, List

ARGS = ["--benchmark_format=json", "--benchmark_min_time=0.5"]


def rates(binary: str) -> Dict[str, float]:
    out = subprocess.run([binary] + ARGS, capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        print(f"{binary}: exit {out.returncode}\n{out.stderr}", file=sys.stderr)
        sys.exit(2)
    result = {}
    for b in json.loads(out.stdout)["benchmarks"]:
        rate = b.get("items_per_second")
        if rate:
            result[b["name"]] = float(rate)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the base build's bin")
    parser.add_argument("--head", required=True, help="this build's bin")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("binaries", nargs="+")
    options = parser.parse_args()
    for name in options.binaries:
        runs: Dict[str, Dict[str, List[float]]] = {"base": {}, "head": {}}
        for _ in range(options.rounds):
            for side in ("base", "head"):
                binary = os.path.join(getattr(options, side), name)
                for bench, rate in rates(binary).items():
                    runs[side].setdefault(bench, []).append(rate)
        for bench in sorted(set(runs["base"]) & set(runs["head"])):
            base = statistics.median(runs["base"][bench])
            head = statistics.median(runs["head"][bench])
            spread = max(runs["base"][bench] + runs["head"][bench]) / min(
                runs["base"][bench] + runs["head"][bench]) - 1
            print(f"{name}: {bench}: head/base = {head / base:.3f} "
                  f"(rounds differ by up to {spread:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
