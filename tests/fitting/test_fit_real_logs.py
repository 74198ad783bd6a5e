"""Fitting every run in ../shared/data/logs: each completes and reports, with plausible
values and a statement of what the log could not identify."""

import csv
from pathlib import Path

import numpy as np
import pytest

import governor as gv
from governor.fitting.data import detect_effort

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


@pytest.mark.shared_data
def test_one_run_is_one_effort_as_fit_tcx_and_gpx():
    """The FR945 run as its device's FIT and TCX (speed from the watch) and as GPX (speed
    from positions): the same effort in all three. A 30-s mean of the GPX speed crossed the
    repetition thresholds nine times and called it intervals."""
    stem = "sportslib__fr945-run-14km-hr"
    if not (SHARED / f"{stem}.fit").exists():
        pytest.skip(f"shared test data not found at {SHARED}")
    efforts = {ext: detect_effort(gv.read_log(SHARED / f"{stem}.{ext}"),
                                  gv.TRAINED.heart_rate_max_bpm)
               for ext in ("fit", "tcx", "gpx")}
    assert len(set(efforts.values())) == 1, efforts
    assert efforts["fit"] == "training"
