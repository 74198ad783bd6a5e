"""A runner's profile from many logs: the best-effort curve, what each log informed, and
what would pin down the rest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import governor as gv
from governor.fitting.profile import best_efforts, critical_speed_from_efforts, profile
from governor.fitting.synthetic import runner_season

TRUTH = gv.TRAINED.replace(critical_speed_mps=4.6, d_prime_m=260.0, reserve_margin=0.3)


def activity(speed_mps, *, gap_after_s: int | None = None) -> pd.DataFrame:
    """A flat 1 Hz activity at the given speeds, optionally split by a 10-min gap."""
    speed = np.asarray(speed_mps, dtype=float)
    t = np.arange(speed.size, dtype=float)
    if gap_after_s is not None:
        t[gap_after_s:] += 600.0
    index = pd.Timestamp("2026-01-05T08:00:00Z") + pd.to_timedelta(t, unit="s")
    return pd.DataFrame({"speed_mps": speed, "grade": 0.0}, index=index)


def test_best_efforts_find_the_fastest_stretch_and_never_span_a_gap():
    speed = np.full(3600, 3.0)
    speed[1200:1450] = 5.0  # 1250 m at 5 m/s in the middle
    best = best_efforts(activity(speed), distances_m=(400.0, 1000.0, 5000.0))
    assert best[400.0] == pytest.approx(80.0, abs=0.5)
    assert best[1000.0] == pytest.approx(200.0, abs=0.5)
    # 5000 m: the fast 1250 m with 3750 m at 3 m/s around it
    assert best[5000.0] == pytest.approx(250.0 + 3750.0 / 3.0, abs=1.0)
    # split the run where the fast stretch is: neither half holds the whole 1000 m at 5 m/s
    split = best_efforts(activity(speed, gap_after_s=1325), distances_m=(1000.0,))
    assert split[1000.0] > 200.0 + 10.0
    # a distance longer than the run
    assert np.isnan(best_efforts(activity(np.full(300, 3.0)), distances_m=(5000.0,))[5000.0])


def test_best_efforts_count_a_hill_at_its_flat_worth():
    flat = activity(np.full(1200, 3.5))
    hill = flat.assign(grade=0.08)
    assert best_efforts(hill, (1000.0,))[1000.0] < best_efforts(flat, (1000.0,))[1000.0] - 30


def test_the_line_through_best_efforts_recovers_cs_and_d_prime():
    d = np.array([400.0, 800.0, 1500.0, 3000.0, 5000.0])
    t = (d - 200.0) / 4.5
    exact = critical_speed_from_efforts(d, t)
    assert exact["critical_speed_mps"] == pytest.approx(4.5, rel=1e-9)
    assert exact["d_prime_m"] == pytest.approx(200.0, rel=1e-9)
    rng = np.random.default_rng(3)
    covered = 0
    for _ in range(200):
        noisy = critical_speed_from_efforts(d, t + rng.normal(0.0, 3.0, d.size))
        lo, hi = noisy["critical_speed_interval"]
        covered += lo <= 4.5 <= hi
    assert 0.9 <= covered / 200 <= 0.99  # Student's t intervals are honest
    assert critical_speed_from_efforts(d[:2], t[:2]) is None


@pytest.fixture(scope="module")
def season():
    return runner_season(TRUTH, seed=1)


@pytest.fixture(scope="module")
def runner(season):
    return profile([s["activity"] for s in season], effort=[s["effort"] for s in season],
                   temperature_c=[s["temperature_c"] for s in season])


def test_a_season_gives_a_profile_with_what_informed_it(runner):
    table = runner.table
    assert runner.fit.success
    for name in ("critical_speed_mps", "heart_rate_tau_rise_s", "heart_rate_tau_fall_s",
                 "heart_rate_drift_bpm_per_c", "heart_rate_drift_bpm_per_work_h",
                 "reserve_margin", "d_prime_m"):
        row = table.loc[name]
        assert row["low"] <= getattr(TRUTH, name) <= row["high"], name
    # heat sensitivity of heart rate is fitted: the runs' temperatures are known and differ
    assert table.loc["heart_rate_drift_bpm_per_c", "status"] == "fitted"
    # the stops between intervals are what inform the heart rate's fall
    assert "intervals" in table.loc["heart_rate_tau_fall_s", "informed_by"].split(",")[0]
    shares = runner.fit.information_
    assert np.allclose(shares.sum(axis=0), 1.0)
    # speed terms come from the races only: a training log's speed is its intent
    training = [n for n in shares.index if "run" in n and "race" not in n]
    assert shares.loc[training, "critical_speed_mps"].sum() == 0.0
    # the curve: the 800 m best from the interval session, a line through six efforts
    assert "intervals" in runner.curve.loc[800.0, "log"]
    assert runner.curve_fit["n"] == 6
    # what is loose says which run would pin it down
    assert table.loc["heat_cs_loss_per_c", "status"] == "held"
    assert "degC apart" in table.loc["heat_cs_loss_per_c", "to_pin_down"]
    report = runner.report()
    assert "To pin down" in report and "/km" in report


def test_without_temperatures_heat_is_held_and_the_report_says_what_would_inform_it(season):
    result = profile([s["activity"] for s in season[:3]],
                     effort=[s["effort"] for s in season[:3]])
    row = result.table.loc["heart_rate_drift_bpm_per_c"]
    assert row["status"] == "held"
    assert "temperatures given" in row["to_pin_down"]
    # no race: the margin is held, D' is the curve's (what the runner spent), and a race
    # is what would inform them
    assert result.table.loc["reserve_margin", "status"] == "held"
    assert result.table.loc["d_prime_m", "status"] == "curve"
    for name in ("d_prime_m", "reserve_margin"):
        assert "a race" in result.table.loc[name, "to_pin_down"]
    assert "critical_speed_mps" not in result.fit.varied
    # critical speed is the curve's: the line through the season's best efforts
    assert result.table.loc["critical_speed_mps", "value"] == pytest.approx(
        result.curve_fit["critical_speed_mps"], rel=1e-6)
