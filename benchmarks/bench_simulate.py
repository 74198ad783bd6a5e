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
(d) their ratio against the target (compiled >= 100x faster), PASS or FAIL;
(e) throughput, the trace's size and the process's peak memory;
(f) the kernel alone (the compiled integrator on packed inputs, no packing, no DataFrame)
    for the same race, median of ``--kernel-repeat`` runs, in this tree and in the baseline
    revision ``--baseline-rev`` (default: the last commit before the compiled core was
    reshaped), each in a fresh interpreter, alternating ``--rounds`` times; the ratio of
    the fastest medians (the machine's noise only adds time) against the target (at most
    1.5x the baseline), PASS or FAIL, and the ratio of the median medians beside it.
    Needs git and the repository's history; without them (f) says so and does not judge.

(b) and (c) are timed end to end through the public ``simulate()``, so both include
building the trace DataFrame. Exit code 0 when every verdict is PASS, 1 otherwise.
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
#: The kernel may take at most this multiple of the baseline revision's time per race: the
#: mechanisms added since (perception's external feedback, the unseen end, open-ended
#: efforts ending in the brain) may cost up to 1.5x. (The reshaping of the core itself was
#: held to 1.1x: 1.013x at 9850aaa.)
KERNEL_TARGET = 1.5
#: The last commit before the compiled core was reshaped and those mechanisms were added:
#: the kernel's baseline.
KERNEL_BASELINE_REV = "e668659"

KERNEL_SCRIPT = """
import inspect, json, math, statistics, sys, time
import governor as gv
from governor import model, solver
protocol, params = gv.Race(10000.0), gv.TRAINED
inputs = model.pack(params, protocol, gv.Course(), gv.Environment(), gv.Feedback(),
                    gv.Modifiers(), None)
if "inputs" in inspect.signature(model.initial_state).parameters:
    y0 = model.initial_state(params, gv.Environment(), inputs)
else:  # before the plan's expected total was a state
    y0 = model.initial_state(params, gv.Environment())
if "args" in inspect.signature(solver.run_compiled).parameters:  # before the reshaping
    run = lambda: solver.run_compiled(y0, 1.0, protocol.limit_s, math.inf, 0.0, 0.0, inputs)
else:
    run = lambda: solver.run_compiled(y0, 1.0, inputs)
run()
times = []
for _ in range(int(sys.argv[1])):
    t0 = time.perf_counter()
    out = run()
    times.append(time.perf_counter() - t0)
print(json.dumps({"kernel_s": statistics.median(times), "finish_time_s": float(out[0][-1]),
                  "file": gv.__file__}))
"""

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


def kernel_time(source: str | None, repeat: int, cache_dir: str) -> dict:
    """Median kernel time per race [s] of the package in folder ``source`` (None: the one
    installed), in a fresh interpreter with its own numba cache."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir)
    if source is not None:
        env["PYTHONPATH"] = source + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run([sys.executable, "-c", KERNEL_SCRIPT, str(repeat)], env=env,
                          capture_output=True, text=True, check=False,
                          cwd=source or tempfile.gettempdir())
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def baseline_tree(rev: str, folder: str) -> str | None:
    """Export revision ``rev`` of the repository this script is in to ``folder``; None
    (with the reason printed) when git or the revision is not there."""
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        archive = subprocess.run(["git", "-C", repo, "archive", rev, "governor"],
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"    baseline {rev} unavailable ({exc}); the kernel is not judged")
        return None
    import io
    import tarfile

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


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
    parser.add_argument("--kernel-repeat", type=int, default=300,
                        help="kernel runs in each tree (default 300)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="alternations of the two trees (default 5)")
    parser.add_argument("--baseline-rev", default=KERNEL_BASELINE_REV,
                        help="revision whose kernel is the baseline (default %(default)s)")
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

    # (f) the kernel, here and in the baseline revision, alternating to share the noise
    print(f"(f) kernel: compiled integrator on packed inputs, median of {args.kernel_repeat} "
          "runs, each tree in a fresh process")
    kernel_ok = True
    with tempfile.TemporaryDirectory(prefix="governor-kernel-") as tmp:
        base_src = baseline_tree(args.baseline_rev, os.path.join(tmp, "baseline"))
        if base_src is not None:
            here_cache, base_cache = os.path.join(tmp, "c-here"), os.path.join(tmp, "c-base")
            here, base = [], []
            for _ in range(args.rounds):
                here.append(kernel_time(None, args.kernel_repeat, here_cache)["kernel_s"])
                base.append(kernel_time(base_src, args.kernel_repeat, base_cache)["kernel_s"])
            k_ratio = min(here) / min(base)
            kernel_ok = k_ratio <= KERNEL_TARGET
            for name, times in (("this tree", here), (f"baseline {args.baseline_rev}", base)):
                print(f"    {name:<18} fastest {min(times) * 1e3:6.3f} ms per race, median "
                      f"{statistics.median(times) * 1e3:6.3f} ms over {args.rounds} processes")
            print(f"    ratio this / baseline: {k_ratio:5.3f}x (medians "
                  f"{statistics.median(here) / statistics.median(base):5.3f}x)   "
                  f"target <= {KERNEL_TARGET}x   {'PASS' if kernel_ok else 'FAIL'}")
    return 0 if ratio >= TARGET_RATIO and kernel_ok else 1


if __name__ == "__main__":
    sys.exit(main())
