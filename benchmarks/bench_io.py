"""Parse time of a one-hour-plus log: governor.io against gpxpy (GPX), and TCX/FIT.

Uses the shared Forerunner 945 run (14 km, 1:23:09) as GPX, TCX and FIT from
``../shared/data/logs``. Run from the repository root::

    python benchmarks/bench_io.py [--repeat N]

Prints best-of-N wall times and the ratios. Targets: ``read_log`` parses GPX at least 3x
faster than ``gpxpy.parse``; ``read_log`` of the FIT file, cleaning to 1 Hz included, takes
at most 250 ms. The FIT baseline is ``fitdecode`` decoding every message with its CRC check
(what the reader did before it walked the protocol itself), and Garmin's ``garmin-fit-sdk``
when it is installed.
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

    import io

    import fitdecode

    fit_bytes = read_bytes(fit)[0]

    def fitdecode_all():
        reader = fitdecode.FitReader(io.BytesIO(fit_bytes), check_crc=fitdecode.CrcCheck.RAISE)
        return sum(1 for frame in reader if isinstance(frame, fitdecode.FitDataMessage))

    rows = [
        ("gpxpy.parse (GPX)", lambda: gpxpy_parse()),
        ("governor GPX parse only", lambda: read_gpx(gpx, read_bytes(gpx)[0])),
        ("governor read_log GPX (clean, 1 Hz)", lambda: read_log(gpx)),
        ("governor TCX parse only", lambda: read_tcx(tcx, read_bytes(tcx)[0])),
        ("governor read_log TCX (clean, 1 Hz)", lambda: read_log(tcx)),
        ("fitdecode, every message, CRC (FIT)", fitdecode_all),
        ("governor FIT parse only", lambda: read_fit(fit, read_bytes(fit)[0])),
        ("governor read_log FIT (clean, 1 Hz)", lambda: read_log(fit)),
    ]
    try:
        from garmin_fit_sdk import Decoder, Stream

        def sdk():
            return Decoder(Stream.from_byte_array(bytearray(fit_bytes))).read()

        rows.insert(-2, ("garmin-fit-sdk Decoder.read (FIT)", sdk))
    except ImportError:
        pass
    results = {name: best_of(fn, args.repeat) for name, fn in rows}
    base = results["gpxpy.parse (GPX)"]
    print(f"{STEM}: 4967-4989 points, 1:23:09; best of {args.repeat}")
    print(f"{'task':<40} {'time [ms]':>10} {'gpxpy / this':>13}")
    for name, t in results.items():
        print(f"{name:<40} {t * 1000:>10.1f} {base / t:>12.1f}x")
    ok = base / results["governor GPX parse only"] >= 3.0
    print("target >= 3x faster than gpxpy for GPX:", "met" if ok else "NOT met")
    fit_base = results["fitdecode, every message, CRC (FIT)"]
    fit_log = results["governor read_log FIT (clean, 1 Hz)"]
    print(f"FIT: parse {fit_base / results['governor FIT parse only']:.1f}x faster than "
          f"fitdecode; read_log {fit_log * 1000:.0f} ms, target <= 250 ms:",
          "met" if fit_log <= 0.25 else "NOT met")
    return 0 if ok and fit_log <= 0.25 else 1


if __name__ == "__main__":
    sys.exit(main())
