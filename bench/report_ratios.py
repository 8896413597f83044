#!/usr/bin/env python3
"""Runs the bench binaries and prints each contender's rate over its baseline's.

    python3 bench/report_ratios.py                    # binaries in build/bin
    python3 bench/report_ratios.py --bin-dir build/bin --strict
    python3 bench/report_ratios.py -- --benchmark_min_time=2

Prints one line per pair, e.g.
    assess: Score rate / yes-count rate = 0.42 (target >= 0.33) PASS
Rates are items_per_second. Each bench runs with DEFAULT_ARGS (three
repetitions, so one disturbed run does not decide) unless arguments are given
after "--"; with repetitions, the median of each rate is used.
Exits 1 on a FAIL only with --strict (a timing is no test result), and 2 when
a bench cannot be run or reports an error. Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Dict, List, Optional


@dataclass(frozen=True)
class Pair:
    label: str          # Printed first, e.g. "assess".
    binary: str         # In --bin-dir.
    baseline: str       # Benchmark name without its "/<arg>" suffix.
    contender: str
    baseline_text: str  # How the two rates are named in the printed line.
    contender_text: str
    target: float       # The contender's rate must be at least this share.
    min_rate: float = 0  # And at least this many items per second, if set.
    # And the contender's counter of this name at most max_value, if set
    # (e.g. a p99 latency in ms).
    max_counter: str = ""
    max_value: float = 0


DEFAULT_ARGS = ["--benchmark_repetitions=3",
                "--benchmark_report_aggregates_only=true"]

PAIRS = [
    Pair("assess", "assess_bench", "BM_CountYes", "BM_Score",
         "yes-count rate", "Score rate", 1 / 3),
    Pair("score --jsonl", "score_cli_bench", "BM_ParseOnly", "BM_ScoreJsonl",
         "parse-only rate", "end-to-end rate", 1 / 2),
    Pair("link pairs", "identity_bench", "BM_ExactEquality", "BM_ScorePairs",
         "exact-equality rate", "pair scoring rate", 0, 2e6),
    # 1,000,000 records in 60 s: at least 16,667 records per second.
    Pair("link 1M records", "identity_scale_bench", "BM_ExactDedupe",
         "BM_LinkEndToEnd", "exact-dedupe rate", "end-to-end link rate", 0,
         1e6 / 60),
    # One record into a resolved million: p99 at most 10 ms.
    Pair("add one record", "identity_add_bench", "BM_ExactIndexAdd",
         "BM_AddOneRecord", "exact-index add rate", "Population::Add rate",
         0, 0, "p99_ms", 10.0),
    # Durable (synchronous=FULL) referral writes with batching: 5,000/s.
    Pair("store writes", "store_bench", "BM_SingleRowCommits",
         "BM_BatchedWriter", "single-row commit rate", "batched write rate",
         0, 5000),
    # Durable referral writes on PostgreSQL: one server at least half the
    # SQLite server's rate, two servers at least 1.5 times one.
    Pair("store on PostgreSQL", "store_bench", "BM_BatchedWriter",
         "BM_PostgresOneServer", "SQLite batched rate",
         "PostgreSQL one-server rate", 0.5),
    Pair("two servers", "store_bench", "BM_PostgresOneServer",
         "BM_PostgresTwoServers", "PostgreSQL one-server rate",
         "two-server rate", 1.5),
    # 1M people, 2M incidents: a repeat and a serial query p99 <= 1 ms.
    Pair("graph queries", "graph_bench", "BM_FlatMapRepeat",
         "BM_GraphRepeatAndSerial", "flat-map repeat rate",
         "graph repeat+serial rate", 0, 0, "p99_ms", 1.0),
    # 100,000 cases across 50 areas within 1 s: 100,000 cases per second.
    Pair("agendas", "agenda_bench", "BM_SortByScore", "BM_BuildAgendas",
         "sort-by-score rate", "agenda rate", 0, 1e5),
    # marac-server on loopback: scoring at least 0.8 of a bare echo RPC.
    Pair("score RPC", "server_bench", "BM_EchoThroughput",
         "BM_ScoreThroughput", "echo RPC rate", "ScoreAssessment rate", 0.8),
    # 5,000 calls/s offered, open loop: p99 at most 2 ms.
    Pair("score RPC p99", "server_bench", "BM_EchoAt5000PerSecond",
         "BM_ScoreAt5000PerSecond", "echo at 5k/s", "score at 5k/s", 0, 4900,
         "p99_ms", 2.0),
    # Identity on the people a server holds, a store of ~1M records: ready
    # to serve in at most 60 s; ResolveRecord (durable) p99 at most 5 ms.
    Pair("identity start-up", "held_people_bench", "BM_ReadRecords",
         "BM_StartUp", "read-records rate", "load-and-resolve rate",
         0, 0, "seconds", 60.0),
    Pair("resolve record", "held_people_bench", "BM_ExactKeyLookup",
         "BM_ResolveRecord", "exact-key lookup rate", "ResolveRecord rate",
         0, 0, "p99_ms", 5.0),
    # Durable SubmitReferral with concurrent clients: 3,000/s.
    Pair("submit referral RPC", "server_bench", "BM_WriterWithoutService",
         "BM_SubmitReferral", "writer without the service",
         "SubmitReferral rate", 0, 3000),
]


def base_name(run: dict) -> str:
    """'BM_Score/1000000' and its aggregates -> 'BM_Score'."""
    return run.get("run_name", run["name"]).split("/")[0]


def run_bench(path: str, extra_args: List[str]) -> List[dict]:
    command = [path, "--benchmark_format=json"] + extra_args
    done = subprocess.run(command, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with "
                           f"{done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout)["benchmarks"]


def counters(runs: List[dict], counter: str) -> Dict[str, float]:
    """`counter` by benchmark: the median aggregate when there are
    repetitions, else the single run."""
    plain: Dict[str, float] = {}
    median: Dict[str, float] = {}
    for run in runs:
        if counter not in run:
            continue
        if run.get("run_type") == "aggregate":
            if run.get("aggregate_name") == "median":
                median[base_name(run)] = run[counter]
        else:
            plain[base_name(run)] = run[counter]
    plain.update(median)
    return plain


def rates(runs: List[dict]) -> Dict[str, float]:
    """items_per_second by benchmark: the median aggregate when there are
    repetitions, else the single run. Raises on a run that reported an
    error, since its rate means nothing."""
    plain: Dict[str, float] = {}
    median: Dict[str, float] = {}
    for run in runs:
        name = base_name(run)
        if run.get("error_occurred"):
            raise RuntimeError(f"{run['name']}: {run.get('error_message')}")
        rate = run.get("items_per_second")
        if rate is None:
            continue
        if run.get("run_type") == "aggregate":
            if run.get("aggregate_name") == "median":
                median[name] = rate
        else:
            plain[name] = rate
    plain.update(median)
    return plain


def format_rate(rate: float) -> str:
    for scale, unit in ((1e6, "M"), (1e3, "k")):
        if rate >= scale:
            return f"{rate / scale:.3g}{unit}/s"
    return f"{rate:.3g}/s"


def report(pair: Pair, found: Dict[str, float],
           counter: Dict[str, float]) -> Optional[bool]:
    """Prints the pair's line; True on PASS, False on FAIL, None if absent."""
    if pair.baseline not in found or pair.contender not in found:
        print(f"{pair.label}: {pair.baseline} or {pair.contender} did not run")
        return None
    base, cont = found[pair.baseline], found[pair.contender]
    ratio = cont / base
    ok = ratio >= pair.target and cont >= pair.min_rate
    if pair.target > 0:
        target = f"target >= {pair.target:.2f}"
    elif pair.max_counter:
        value = counter.get(pair.contender)
        ok = ok and value is not None and value <= pair.max_value
        target = (f"{pair.max_counter} {value:.3g}, target <= "
                  f"{pair.max_value:g}" if value is not None
                  else f"no {pair.max_counter} counter")
    else:
        target = f"target {format_rate(pair.min_rate)} per core"
    verdict = "PASS" if ok else "FAIL"
    print(f"{pair.label}: {pair.contender_text} / {pair.baseline_text} = "
          f"{ratio:.2f} ({target}) {verdict}"
          f"  [{pair.contender} {format_rate(cont)}, "
          f"{pair.baseline} {format_rate(base)}]")
    return ok


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir",
                        default=os.path.join(here, os.pardir, "build", "bin"),
                        help="where the bench binaries are (build/bin)")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when a ratio misses its target")
    parser.add_argument("bench_args", nargs="*",
                        help="passed to every bench, after -- "
                        f"(default: {' '.join(DEFAULT_ARGS)})")
    args = parser.parse_args()

    verdicts = []
    cache: Dict[str, List[dict]] = {}  # One run per binary, for every pair.
    for pair in PAIRS:
        path = os.path.join(args.bin_dir, pair.binary)
        try:
            if path not in cache:
                cache[path] = run_bench(path, args.bench_args or DEFAULT_ARGS)
            runs = cache[path]
            found = rates(runs)
            counter = counters(runs, pair.max_counter)
        except (OSError, RuntimeError, ValueError, KeyError) as error:
            print(f"{pair.label}: {error}", file=sys.stderr)
            return 2
        verdicts.append(report(pair, found, counter))
    if None in verdicts:
        return 2
    return 1 if args.strict and not all(verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
