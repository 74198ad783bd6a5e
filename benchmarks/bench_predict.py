"""Benchmark of race prediction (targets: one prediction from results <= 1 s; a compare of
six scenarios <= 2 s).

    python benchmarks/bench_predict.py [--repeat 5]

A marathon predicted from a 10 km and a half marathon (``gv.predict`` fits CS, D' and
durability to the results first), and ``Prediction.compare()`` with its six default
scenarios, on the flat and on a hilly course. The model is compiled first, so compile time
is not counted. Prints the median time and the simulations each took; exits 0 when both
targets are met. No baseline exists: the package had no prediction before.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import governor as gv

RESULTS = {"10k": "41:30", "half": "1:32:10"}


def median_time(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"governor.predict benchmark; python {sys.version.split()[0]}")
    hills = gv.Course.from_profile([0, 5000, 8000, 12000, 20000, 30000, 42195],
                                   [0, 0, 60, 20, 40, 0, 0])
    env = gv.Environment.from_forecast(18.0, humidity=60, sky="partly")
    gv.predict(RESULTS, "marathon").compare()  # compile and warm up
    ok = []
    for label, course in (("flat", None), ("hilly", hills)):
        t_pred, pred = median_time(
            lambda course=course: gv.predict(RESULTS, "marathon", course=course,
                                             environment=env), args.repeat)
        t_cmp, table = median_time(pred.compare, args.repeat)
        ok += [t_pred <= 1.0, t_cmp <= 2.0]
        print(f"{label:5s} marathon from 10 km + half: {t_pred:6.2f} s ({pred.n_simulations} "
              f"simulations; target <= 1 s: {'PASS' if t_pred <= 1.0 else 'FAIL'}); "
              f"compare of {len(table) - 1}: {t_cmp:6.2f} s (target <= 2 s: "
              f"{'PASS' if t_cmp <= 2.0 else 'FAIL'})")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
