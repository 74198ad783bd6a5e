"""The model's traces against the golden recording (``tests/golden``).

Every simulation of T1-T7 and of the other golden scenarios must give the recorded trace to
1e-9 relative: a change to how the model is built (the compiled core, packing, the solver)
must not change what it computes. A change meant to alter behaviour regenerates the
recording (``python tests/golden/make_golden.py``) in the same commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
sys.path.insert(0, str(GOLDEN))

from make_golden import record  # noqa: E402
from scenarios import scenarios  # noqa: E402


@pytest.fixture(scope="module")
def recorded():
    with np.load(GOLDEN / "traces.npz") as data:
        index = json.loads(str(data["index"]))
        return {entry["name"]: (entry["status"], {key: data[f"{i}/{key}"]
                                                  for key in ("values", "rows", "columns")})
                for i, entry in index.items()}


def test_every_golden_scenario_reproduces_its_recorded_trace(recorded):
    seen = set()
    failures = []
    for name, sim in scenarios():
        seen.add(name)
        assert name in recorded, f"{name}: not in the recording (regenerate it)"
        status, want = recorded[name]
        got = record(sim)
        if sim.status != status or got["rows"][0] != want["rows"][0]:
            failures.append(f"{name}: {sim.status}, {got['rows'][0]} rows; recorded "
                            f"{status}, {want['rows'][0]} rows")
            continue
        columns = list(got["columns"])
        for j, column in enumerate(want["columns"]):
            assert column in columns, f"{name}: column {column} is gone"
            a = got["values"][:, columns.index(column)]
            b = want["values"][:, j]
            if not np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True):
                worst = np.nanmax(np.abs(a - b) / np.maximum(np.abs(b), 1e-9))
                failures.append(f"{name}: {column} differs (worst relative {worst:.2e})")
    assert not failures, "\n".join(failures)
    assert seen == set(recorded), f"recorded but not run: {sorted(set(recorded) - seen)}"
