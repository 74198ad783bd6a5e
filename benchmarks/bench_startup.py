"""Start-up time: ``import governor`` and ``governor --help`` in a fresh interpreter.

Run from the repository root::

    python benchmarks/bench_startup.py [--repeat N] [--baseline-rev REV]

Each command runs ``N`` times in a new interpreter; the median wall time is printed beside
the same commands in a baseline revision (exported with ``git archive``; default
``6f7a116``, before the package loaded its names lazily), and beside ``python -c pass``,
the interpreter's own start. Targets: ``import governor`` <= 0.4 s and ``governor --help``
<= 0.5 s. It also lists the heavy libraries each command loads (it should load none of
SciPy, pandas, numba, matplotlib for ``--help``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"import governor": 0.4, "governor --help": 0.5}
HEAVY = ("scipy", "pandas", "numba", "matplotlib")
HELP = ("import runpy; sys.argv = ['governor', '--help']; "
        "runpy.run_module('governor', run_name='__main__')")
COMMANDS = {
    "python -c pass": "pass",
    "import governor": "import governor",
    "governor --help": HELP,
}


def _in_tree(code: str, tree: Path) -> list[str]:
    """``python -c`` arguments running ``code`` with ``governor`` imported from ``tree``
    (an editable install's finder, which would win over sys.path, is set aside)."""
    return ["-c", "import sys; sys.meta_path[:] = [f for f in sys.meta_path if 'editable' "
                  f"not in repr(f)]; sys.path.insert(0, {str(tree)!r}); {code}"]


def median_wall_s(code: str, tree: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, *_in_tree(code, tree)], stdout=subprocess.DEVNULL,
                       check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_loaded(code: str, tree: Path) -> list[str]:
    probe = (f"{code}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules), "
             "file=sys.stderr)")
    done = subprocess.run([sys.executable, *_in_tree(probe, tree)], capture_output=True,
                          text=True, check=False)
    return done.stderr.split()


def export(rev: str, into: Path) -> Path:
    archive = into / "baseline.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), rev, "governor"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline-rev", default="6f7a116")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        base = export(args.baseline_rev, Path(tmp))
        print(f"median of {args.repeat} fresh interpreters [s]; baseline {args.baseline_rev}")
        print(f"{'command':<18}{'now':>8}{'baseline':>10}{'ratio':>8}{'target':>8}")
        ok = True
        for name, cmd in COMMANDS.items():
            now = median_wall_s(cmd, ROOT, args.repeat)
            then = median_wall_s(cmd, base, args.repeat)
            target = TARGETS.get(name)
            verdict = ""
            if target is not None:
                passed = now <= target
                ok &= passed
                verdict = f"{target:>6.1f}  {'PASS' if passed else 'FAIL'}"
            print(f"{name:<18}{now:>8.3f}{then:>10.3f}{then / now:>7.1f}x  {verdict}")
        help_code = "import governor.cli as c; c.build_parser()"
        for name, code in (("import governor", "import governor"),
                           ("governor --help", help_code)):
            print(f"{name} loads: {', '.join(heavy_loaded(code, ROOT)) or 'none'} of "
                  f"{', '.join(HEAVY)} (baseline: "
                  f"{', '.join(heavy_loaded(code, base)) or 'none'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
