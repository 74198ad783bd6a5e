"""Parse time of a one-hour-plus log: governor.io against gpxpy (GPX), and TCX/FIT.

Uses the shared Forerunner 945 run (14 km, 1:23:09) as GPX, TCX and FIT from
``../shared/data/logs``. Run from the repository root::

    python benchmarks/bench_io.py [--repeat N]

Prints best-of-N wall times and the ratios. Target: ``read_log`` parses GPX at least 3x
faster than ``gpxpy.parse`` (the parse alone, and also including cleaning to 1 Hz).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

LOGS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "logs"
STEM = "sportslib__fr945-run-14km-hr"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if not (LOGS / f"{STEM}.gpx").is_file():
        print(f"skipped: shared logs not found at {LOGS}")
        return 0
    import gpxpy

    from governor.io import read_log
    from governor.io._source import read_bytes
    from governor.io.fit import read_fit
    from governor.io.gpx import read_gpx
    from governor.io.tcx import read_tcx

    gpx, tcx, fit = (LOGS / f"{STEM}.{ext}" for ext in ("gpx", "tcx", "fit"))

    def gpxpy_parse():
        with open(gpx, encoding="utf-8") as fh:
            g = gpxpy.parse(fh)
        return sum(len(s.points) for t in g.tracks for s in t.segments)

    rows = [
        ("gpxpy.parse (GPX)", lambda: gpxpy_parse()),
        ("governor GPX parse only", lambda: read_gpx(gpx, read_bytes(gpx)[0])),
        ("governor read_log GPX (clean, 1 Hz)", lambda: read_log(gpx)),
        ("governor TCX parse only", lambda: read_tcx(tcx, read_bytes(tcx)[0])),
        ("governor read_log TCX (clean, 1 Hz)", lambda: read_log(tcx)),
        ("governor FIT parse only (fitdecode)", lambda: read_fit(fit, read_bytes(fit)[0])),
        ("governor read_log FIT (clean, 1 Hz)", lambda: read_log(fit)),
    ]
    results = {name: best_of(fn, args.repeat) for name, fn in rows}
    base = results["gpxpy.parse (GPX)"]
    print(f"{STEM}: 4967-4989 points, 1:23:09; best of {args.repeat}")
    print(f"{'task':<40} {'time [ms]':>10} {'gpxpy / this':>13}")
    for name, t in results.items():
        print(f"{name:<40} {t * 1000:>10.1f} {base / t:>12.1f}x")
    ok = base / results["governor GPX parse only"] >= 3.0
    print("target >= 3x faster than gpxpy for GPX:", "met" if ok else "NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
