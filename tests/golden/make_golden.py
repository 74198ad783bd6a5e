"""Record the golden traces: ``python tests/golden/make_golden.py``.

Writes ``tests/golden/traces.npz``: for each scenario of ``scenarios.py``, its status, its
row count, and every ``STRIDE``-th row (and the last) of its time, states and observed
quantities, with their column names.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scenarios import STRIDE, scenarios  # noqa: E402


def record(sim) -> dict[str, np.ndarray]:
    trace = sim.trace
    rows = np.unique(np.append(np.arange(0, len(trace), STRIDE), len(trace) - 1))
    return {"values": trace.iloc[rows].reset_index().to_numpy(dtype=float),
            "rows": np.array([len(trace)]), "columns": np.array(["time_s", *trace.columns])}


def main() -> None:
    arrays: dict[str, np.ndarray] = {}
    index = {}
    for i, (name, sim) in enumerate(scenarios()):
        rec = record(sim)
        for key, value in rec.items():
            arrays[f"{i}/{key}"] = value
        index[str(i)] = {"name": name, "status": sim.status}
        print(f"{i:3d} {name}: {sim.status}, {rec['rows'][0]} rows")
    arrays["index"] = np.array(json.dumps(index))
    np.savez_compressed(HERE / "traces.npz", **arrays)


if __name__ == "__main__":
    main()
