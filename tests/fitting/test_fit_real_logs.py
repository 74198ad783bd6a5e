"""Fitting every run in ../shared/data/logs: each completes and reports, with plausible
values and a statement of what the log could not identify."""

import csv
from pathlib import Path

import numpy as np
import pytest

import governor as gv

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "logs"
MANIFEST = SHARED / "MANIFEST.csv"


def runs():
    if not MANIFEST.is_file():
        return []
    with open(MANIFEST, newline="", encoding="utf-8") as fh:
        return [row["file"] for row in csv.DictReader(fh) if "ride" not in row["sport"]]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", runs() or ["(no shared data)"])
def test_each_run_fits_and_reports(name):
    if not MANIFEST.is_file():
        pytest.skip(f"shared test data not found at {SHARED}")
    try:
        activity = gv.read_log(SHARED / name)
    except gv.LogError as exc:
        pytest.skip(f"the reader rejects {name}: {exc}")
    try:
        result = gv.fit(activity)
    except ValueError as exc:  # too little data to fit: a clear reason naming the file
        assert name in str(exc) and "under 2 minutes" in str(exc)
        return
    text = result.report()
    assert "held at the given values" in text
    if not result.success:
        assert result.message  # says why, e.g. nothing it can identify
        return
    p = result.params_
    assert 2.0 <= p.critical_speed_mps <= 6.5
    assert 5.0 <= p.heart_rate_tau_rise_s <= 120.0
    assert 5.0 <= p.heart_rate_tau_fall_s <= 120.0
    assert np.isfinite(result.rmse_speed_)
    summary = result.summary()
    assert summary["n_logs"] == 1 and summary["efforts"] in ("race", "intervals", "training")
