"""Fitting every run in ../shared/data/logs: each completes and reports, with plausible
values and a statement of what the log could not identify; and its heart rate is explained
at least as well as by the plain first-order model."""

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
    for name_ in ("heart_rate_tau_rise_s", "heart_rate_tau_fall_s"):
        lo, hi = gv.Params.bounds(name_)
        assert lo <= getattr(p, name_) <= hi
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


def heart_rate_runs():
    """Runs whose heart rate a fit can use: at least ten minutes of it."""
    if not MANIFEST.is_file():
        return []
    with open(MANIFEST, newline="", encoding="utf-8") as fh:
        return [row["file"] for row in csv.DictReader(fh)
                if row["sport"].startswith("run") and row["has_hr"] == "yes"
                and float(row["duration_s"] or 0) >= 600]


#: Runs on which the plain model's fitted linear grade term explains heart rate better than
#: the model's energetics (Minetti's cost of the grade): a hilly run with GPS elevation
#: (a Forerunner 410), 7.3 against 7.7 bpm, and the same run recovered from a broken file.
HILLY_GPS_RUNS = {"tcxparser__fr410-run-hr.tcx", "runpandas__malformed.tcx"}


@pytest.fixture(scope="module")
def heart_rate_table():
    rows = {}
    for name in heart_rate_runs():
        result = gv.fit(gv.read_log(SHARED / name))
        table = result.heart_rate_baselines_
        rows[name] = (float(table.loc["governor", "rmse_heart_rate_bpm"]),
                      float(table.loc["plain_first_order", "rmse_heart_rate_bpm"]))
    return rows


@pytest.mark.shared_data
@pytest.mark.parametrize("name", heart_rate_runs() or ["(no shared data)"])
def test_heart_rate_is_explained_at_least_as_well_as_by_the_plain_model(name,
                                                                         heart_rate_table,
                                                                         request):
    """On every real run with heart rate, the governor's heart rate (its terms fitted, the
    intent read from the log) misses the log by no more than the plain first-order model's
    five terms fitted to the same clean samples."""
    if not MANIFEST.is_file():
        pytest.skip(f"shared test data not found at {SHARED}")
    if name in HILLY_GPS_RUNS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            "the plain model's linear grade term, fitted to this hilly GPS-elevation run, "
            "beats the model's energetics by about 4 %")))
    governor, plain = heart_rate_table[name]
    assert governor <= plain, (governor, plain)


@pytest.mark.shared_data
def test_heart_rate_beats_the_plain_model_in_the_median(heart_rate_table):
    """Across the real runs with heart rate: at most 0.9 of the plain model's RMSE in the
    median."""
    if not heart_rate_table:
        pytest.skip(f"shared test data not found at {SHARED}")
    ratios = [g / p for g, p in heart_rate_table.values()]
    assert len(ratios) >= 8
    assert float(np.median(ratios)) <= 0.9, heart_rate_table
