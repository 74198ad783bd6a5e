"""Benchmark of fitting (targets: one race log <= 0.3 s; an athlete of ten logs <= 3 s).

    python benchmarks/bench_fit.py [--repeat 5] [--threads N]

Logs are synthetic (governor.fitting.synthetic_log: GPS-like AR(1) speed noise, heart-rate
noise) so the run needs no data files; the model is compiled first so compile time is not
counted. Prints the median time, the number of log simulations (the baselines' included) and
the time per simulation, and the fitted critical speed, D' and margin against the truth in
standard errors; exits 0 when the race and athlete targets are met.

Baseline (the fitter before heart rate was fitted along the saved trajectory, the all-out
baseline started at its optimum and refined to convergence): one race 0.7-1.6 s, an athlete
of ten logs 8.7-13 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import governor as gv
from governor.fitting import synthetic_log
from governor.fitting.fit import available_cores

TRUTH = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=230.0, reserve_margin=0.3)


def timed(logs, efforts, repeat, threads):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = gv.fit(logs, effort=efforts, temperature_c=20.0, threads=threads)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None,
                        help="threads of each fit (default: the cores available)")
    args = parser.parse_args(argv)
    threads = args.threads if args.threads is not None else available_cores()
    print(f"governor.fit benchmark; python {sys.version.split()[0]}; {threads} thread(s)")
    race_1h = synthetic_log(TRUTH, gv.Race(16_500.0), seed=1)
    run_1h = synthetic_log(TRUTH, gv.Training.steady(3600.0, target_rpe=4.0), seed=2)
    athlete = [synthetic_log(TRUTH, gv.Race(d), seed=10 + i)
               for i, d in enumerate((1500.0, 3000.0, 5000.0, 5000.0, 10000.0, 10000.0))]
    athlete += [synthetic_log(TRUTH, gv.Training.intervals(5, 180.0, 120.0, work_speed_mps=5.2),
                              seed=20)]
    athlete += [synthetic_log(TRUTH, gv.Training.steady(d, target_rpe=3.5), seed=21 + i)
                for i, d in enumerate((2400.0, 3000.0, 3600.0))]
    efforts = ["race"] * 6 + ["intervals"] + ["training"] * 3
    gv.fit(race_1h, effort="race", temperature_c=20.0)  # compile and warm up
    rows = []
    race_10k = synthetic_log(TRUTH, gv.Race(10_000.0), seed=3)
    for label, logs, eff, repeat, target in (
        ("10 km race (CS, D', margin + 5 HR terms)", race_10k, "race", args.repeat, 0.3),
        ("one-hour race", race_1h, "race", args.repeat, None),
        ("one-hour training run (6 HR terms)", run_1h, "training", args.repeat, None),
        ("athlete of ten logs (3 + 6 terms)", athlete, efforts, max(1, args.repeat // 2), 3.0),
    ):
        seconds, result = timed(logs, eff, repeat, threads)
        per = 1000.0 * seconds / max(result.n_evaluations, 1)
        verdict = ""
        if target is not None:
            ok = seconds <= target
            rows.append(ok)
            verdict = f"; target <= {target:g} s: {'PASS' if ok else 'FAIL'}"
        print(f"{label:42s} {seconds:7.2f} s median of {repeat}; {result.n_evaluations:5d} "
              f"log simulations ({per:.2f} ms each){verdict}")
        for name in ("critical_speed_mps", "d_prime_m", "reserve_margin"):
            if name in result.varied:
                value, err = getattr(result.params_, name), result.stderr_[name]
                z = (value - getattr(TRUTH, name)) / err if err > 0 else float("nan")
                print(f"    {name:20s} {value:9.4g} +/- {err:<9.3g} truth "
                      f"{getattr(TRUTH, name):<8.4g} z = {z:+.1f}")
    return 0 if all(rows) else 1


if __name__ == "__main__":
    sys.exit(main())
