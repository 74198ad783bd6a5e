"""Speed of ``governor.simulate``: numba compile time, compiled integrator against scipy.

Run from anywhere with the package installed::

    python benchmarks/bench_simulate.py [--repeat 20] [--scipy-repeat 3]

Prints, in one run:

(a) the cold first call: a fresh interpreter with ``NUMBA_CACHE_DIR`` pointing at an empty
    temporary directory times ``import governor`` and the first
    ``gv.simulate(gv.TRAINED, gv.Race(10000))`` (numba compiles); then the same with the
    cache it just wrote (warm first call);
(b) a 10 km TRAINED race at dt = 1 s with ``solver="compiled"``: median of ``--repeat`` runs
    after a warm-up;
(c) the same race with ``solver="scipy"`` (the same right-hand side through
    ``scipy.integrate.solve_ivp``, RK45, steps no longer than 1 s): median of
    ``--scipy-repeat`` runs after a warm-up;
(d) their ratio against the target (DESIGN §8: compiled >= 100x faster), PASS or FAIL;
(e) throughput, the trace's size and the process's peak memory.

Both paths are timed end to end through the public ``simulate()``, so both include building
the trace DataFrame. Exit code 0 on PASS, 1 on FAIL.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_RATIO = 100.0

COLD_SCRIPT = """
import json, time
t0 = time.perf_counter()
import governor as gv
t1 = time.perf_counter()
sim = gv.simulate(gv.TRAINED, gv.Race(10000))
t2 = time.perf_counter()
sim = gv.simulate(gv.TRAINED, gv.Race(10000))
t3 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "first_s": t2 - t1, "second_s": t3 - t2,
                  "finish_time_s": sim.finish_time_s}))
"""


def first_call(cache_dir: str) -> dict:
    """Time import and first simulate() in a fresh interpreter using ``cache_dir``."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", COLD_SCRIPT], env=env, capture_output=True,
                          text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"the first-call subprocess failed:\n{done.stderr}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["process_s"] = wall
    return out


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024.0 if sys.platform != "darwin" else kb / 1024.0**2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20, help="compiled runs (default 20)")
    parser.add_argument("--scipy-repeat", type=int, default=3, help="scipy runs (default 3)")
    args = parser.parse_args(argv)

    print("governor.simulate benchmark: TRAINED, Race(10000), dt = 1 s, flat, 20 °C")
    print(f"python {sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPU(s)")
    print()

    # (a) cold and warm first call, each in a fresh interpreter
    with tempfile.TemporaryDirectory(prefix="governor-numba-") as cache_dir:
        cold = first_call(cache_dir)
        warm = first_call(cache_dir)
    print("(a) first call in a fresh process")
    print(f"    cold numba cache: import {cold['import_s']:6.2f} s, first simulate "
          f"{cold['first_s']:6.2f} s (compiles), second {cold['second_s'] * 1e3:6.1f} ms; "
          f"whole process {cold['process_s']:.2f} s")
    print(f"    warm numba cache: import {warm['import_s']:6.2f} s, first simulate "
          f"{warm['first_s']:6.2f} s (loads), second {warm['second_s'] * 1e3:6.1f} ms; "
          f"whole process {warm['process_s']:.2f} s")
    print()

    import governor as gv

    protocol = gv.Race(10000.0)
    reference = gv.simulate(gv.TRAINED, protocol)  # warm-up (compile or load from cache)
    compiled = timed(lambda: gv.simulate(gv.TRAINED, protocol), args.repeat)
    t_compiled = statistics.median(compiled)
    print(f"(b) compiled: median {t_compiled * 1e3:8.2f} ms of {args.repeat} runs "
          f"(min {min(compiled) * 1e3:.2f}, max {max(compiled) * 1e3:.2f})")

    scipy_sim = [gv.simulate(gv.TRAINED, protocol, solver="scipy")]  # warm-up
    scipy_times = timed(lambda: scipy_sim.append(gv.simulate(gv.TRAINED, protocol,
                                                             solver="scipy")),
                        args.scipy_repeat)
    t_scipy = statistics.median(scipy_times)
    print(f"(c) scipy:    median {t_scipy * 1e3:8.2f} ms of {args.scipy_repeat} runs "
          f"(min {min(scipy_times) * 1e3:.2f}, max {max(scipy_times) * 1e3:.2f})")
    gap = scipy_sim[-1].finish_time_s - reference.finish_time_s
    print(f"    finish time: compiled {reference.finish_time_s:.2f} s, scipy "
          f"{scipy_sim[-1].finish_time_s:.2f} s (difference {gap:+.2f} s)")

    ratio = t_scipy / t_compiled
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"(d) ratio scipy / compiled: {ratio:7.1f}x   target >= {TARGET_RATIO:.0f}x   {verdict}")

    steps = len(reference.trace)
    trace_kb = reference.trace.memory_usage(deep=True).sum() / 1024.0
    rss = peak_rss_mb()
    print(f"(e) throughput: {1.0 / t_compiled:7.0f} races/s per core; "
          f"{reference.finish_time_s / t_compiled:,.0f} simulated s per wall s; "
          f"{steps} trace rows x {reference.trace.shape[1]} columns = {trace_kb:.0f} KiB"
          + (f"; peak RSS of this process {rss:.0f} MiB" if rss is not None else ""))
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
