"""Benchmark of batch fitting (targets: throughput scales with workers, 2 / 1 >= 1.7;
memory flat in the number of logs).

    python benchmarks/bench_batch.py [--logs 200] [--minutes 60]

Writes ``--logs`` synthetic one-hour logs (CSV; governor.fitting.synthetic_log: steady runs
and races of several runners, with GPS-like speed noise and heart rate) into a temporary
folder, then fits them all with ``governor.fit_many`` in a fresh process per configuration:
a local pool of 1 worker, of 2 workers, and a 2-worker Dask ``LocalCluster`` on loopback;
then 2 local workers on a quarter of the logs, to see memory stay flat. Each configuration
reports logs per second (wall time of the whole ``fit_many`` call, pool start included) and
the peak resident memory of its whole process tree (batch process and workers, sampled
every 50 ms). The model is compiled before timing. Exits 0 when 2 workers / 1 worker >= 1.7.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

#: Distinct logs generated; the rest are copies under other names (same work per fit).
DISTINCT = 20


def make_logs(folder: Path, n: int, minutes: float) -> None:
    import governor as gv
    from governor.fitting import synthetic_log
    from governor.io import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    distinct = []
    for i in range(min(DISTINCT, n)):
        runner = gv.TRAINED.replace(critical_speed_mps=4.4 + 0.05 * i,
                                    d_prime_m=180.0 + 5.0 * i)
        if i % 4 == 0:  # a race of about the same duration
            protocol = gv.Race(round(runner.critical_speed_mps * 0.93 * minutes * 60.0, -2))
        else:
            protocol = gv.Training.steady(minutes * 60.0, target_rpe=3.0 + 0.1 * (i % 10))
        distinct.append(synthetic_log(runner, protocol, seed=i))
    for k in range(n):
        write_csv(distinct[k % len(distinct)], folder / f"log{k:04d}.csv")


def peak_tree_rss(stop: threading.Event, out: list[int]) -> None:
    import psutil

    me = psutil.Process()
    peak = 0
    while not stop.is_set():
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, total)
        stop.wait(0.05)
    out.append(peak)


def child(config: str, folder: str, n: int) -> None:
    """Run one configuration; print a JSON line with its figures."""
    import governor as gv

    files = sorted(Path(folder).glob("*.csv"))[:n]
    stop, peak = threading.Event(), []
    sampler = threading.Thread(target=peak_tree_rss, args=(stop, peak))
    sampler.start()
    cluster = None
    try:
        t0 = time.perf_counter()
        if config == "cluster":
            from distributed import LocalCluster

            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None)
            table = gv.fit_many(files, scheduler=cluster.scheduler_address, progress=False)
        else:
            table = gv.fit_many(files, workers=int(config), progress=False)
        seconds = time.perf_counter() - t0
    finally:
        if cluster is not None:
            cluster.close()
        stop.set()
        sampler.join()
    print(json.dumps({"config": config, "logs": len(table), "seconds": seconds,
                      "ok": int((table["status"] == "ok").sum()),
                      "peak_mb": peak[0] / 2**20}))


def run(config: str, folder: Path, n: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", config, "--folder", str(folder),
                          "--logs", str(n)], capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if out.returncode != 0:
        raise SystemExit(f"configuration {config} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.folder, args.logs)
        return 0

    print(f"governor.fit_many benchmark; python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="governor-bench-") as tmp:
        folder = Path(tmp) / "logs"
        t0 = time.perf_counter()
        make_logs(folder, args.logs, args.minutes)
        print(f"{args.logs} synthetic {args.minutes:g}-minute logs written in "
              f"{time.perf_counter() - t0:.1f} s ({DISTINCT} distinct, the rest copies)")
        rows = {}
        for config, label, n in (("1", "local pool, 1 worker", args.logs),
                                 ("2", "local pool, 2 workers", args.logs),
                                 ("cluster", "Dask LocalCluster, 2 workers", args.logs),
                                 ("2", "local pool, 2 workers", args.logs // 4)):
            r = run(config, folder, n)
            rows[(config, n)] = r
            rate = r["logs"] / r["seconds"]
            print(f"{label:30s} {r['logs']:4d} logs ({r['ok']} ok) in {r['seconds']:6.1f} s: "
                  f"{rate:5.2f} logs/s; peak memory {r['peak_mb']:6.0f} MB")
    rate = {k: v["logs"] / v["seconds"] for k, v in rows.items()}
    one, two = rate[("1", args.logs)], rate[("2", args.logs)]
    scaling = two / one
    ok = scaling >= 1.7
    print(f"throughput 2 workers / 1 worker: {scaling:.2f} (target >= 1.7: "
          f"{'PASS' if ok else 'FAIL'})")
    print(f"throughput cluster / 1 worker:   {rate[('cluster', args.logs)] / one:.2f}")
    flat = rows[("2", args.logs)]["peak_mb"] / rows[("2", args.logs // 4)]["peak_mb"]
    print(f"peak memory, {args.logs} logs / {args.logs // 4} logs (2 workers): {flat:.2f} "
          "(flat: near 1)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
