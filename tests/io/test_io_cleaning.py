"""Each cleaning step on a small synthetic case with a known answer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from io_synthetic import METRES_PER_DEGREE_LAT, synthetic_run

from governor.io import moving_time_s, read_log, write_csv, write_gpx
from governor.io.activity import CleaningReport
from governor.io.clean import clean


def test_gps_jump_of_5_km_removed(tmp_path):
    run = synthetic_run(1200, 3.0)
    run.iloc[600, run.columns.get_loc("latitude")] += 5000.0 / METRES_PER_DEGREE_LAT
    path = tmp_path / "jump.gpx"
    write_gpx(run, path)  # no distance in GPX: it is integrated from positions
    activity = read_log(path)
    report = activity.attrs["report"]
    assert report["gps_jumps"].count == 1
    assert activity["distance_m"].iloc[-1] == pytest.approx(3600.0, rel=0.01)
    assert activity["speed_mps"].max() < 4.0


def test_two_minute_stop_is_not_moving(tmp_path):
    run = synthetic_run(1200, 3.0)
    # stand still from 600 s to 720 s: position and distance frozen
    t = run["elapsed_s"].to_numpy()
    moving_t = np.where(t < 600, t, np.where(t < 720, 600, t - 120))
    run["distance_m"] = 3.0 * moving_t
    run["latitude"] = 45.0 + run["distance_m"] / METRES_PER_DEGREE_LAT
    run["speed_mps"] = np.where((t >= 600) & (t < 720), 0.0, 3.0)
    write_csv(run, tmp_path / "stop.csv")
    activity = read_log(tmp_path / "stop.csv", sport="running")
    assert moving_time_s(activity) == pytest.approx(1201 - 120, abs=3)
    assert not activity.loc["2024-05-01T08:10:30Z", "moving"]


def test_auto_pause_gap_is_not_moving(tmp_path):
    run = synthetic_run(1200, 3.0)
    t = run["elapsed_s"].to_numpy()
    run["distance_m"] = 3.0 * np.where(t < 600, t, np.maximum(600, t - 120))
    run["latitude"] = 45.0 + run["distance_m"] / METRES_PER_DEGREE_LAT
    gap = run[(t <= 600) | (t > 720)]  # the watch recorded nothing for two minutes
    write_gpx(gap, tmp_path / "gap.gpx")
    activity = read_log(tmp_path / "gap.gpx")
    assert len(activity) == 1201  # one session, resampled through the pause
    assert moving_time_s(activity) == pytest.approx(1201 - 120, abs=5)
    assert activity["heart_rate_bpm"].isna().sum() >= 100  # not invented over the pause


def test_duplicated_timestamp_merged():
    run = synthetic_run(300, 3.0)
    raw = pd.concat([run, run.iloc[[100]]]).sample(frac=1.0, random_state=1)  # shuffled
    report = CleaningReport()
    out, sessions, report = clean(raw.drop(columns=["grade"]), report=report)
    assert len(out) == 301
    assert "1 duplicated" in report["timestamps"].detail
    assert out.index.is_monotonic_increasing


def test_heart_rate_spike_of_250_removed():
    run = synthetic_run(300, 3.0, heart_rate_bpm=150.0)
    run.iloc[150, run.columns.get_loc("heart_rate_bpm")] = 250.0
    run.iloc[200, run.columns.get_loc("heart_rate_bpm")] = 0.0  # a dropout
    run.iloc[250, run.columns.get_loc("heart_rate_bpm")] = 205.0  # a spike within range
    out, _, report = clean(run)
    assert report["heart_rate"].count == 3
    assert out["heart_rate_bpm"].max() < 170
    assert out["heart_rate_bpm"].notna().all()  # single-sample holes are interpolated


def test_session_split_on_long_gap():
    first = synthetic_run(600, 3.0)
    second = synthetic_run(600, 3.0, start="2024-05-01T10:00:00Z")
    second["distance_m"] += first["distance_m"].iloc[-1]
    out, sessions, report = clean(pd.concat([first, second]))
    assert len(sessions) == 2
    assert len(out) == 1202  # nothing invented in the 1 h 50 min between the sessions
    assert report["sessions"].count == 2


def test_grade_from_elevation():
    out, _, _ = clean(synthetic_run(600, 3.0, grade=0.05))
    assert np.nanmedian(out["grade"]) == pytest.approx(0.05, abs=0.002)


def test_report_is_readable():
    out, _, report = clean(synthetic_run(120, 3.0))
    text = str(report)
    for step in ("timestamps", "sessions", "gps_jumps", "heart_rate", "resample", "pauses",
                 "elevation"):
        assert step in text
    assert report.to_records()[0]["name"] == "timestamps"


def test_stop_with_gps_drift_is_not_moving(tmp_path):
    """Standing still for 2 min while the position wanders by a few metres (GPS drift gives
    an apparent speed near 1 m/s): the stop is still found."""
    run = synthetic_run(1200, 3.0)
    t = run["elapsed_s"].to_numpy()
    moving_t = np.where(t < 600, t, np.where(t < 720, 600, t - 120))
    rng = np.random.default_rng(1)
    drift_m = np.where((t >= 600) & (t < 720), rng.normal(0.0, 1.0, t.size), 0.0)
    run["latitude"] = 45.0 + (3.0 * moving_t + drift_m) / METRES_PER_DEGREE_LAT
    run = run.drop(columns=["distance_m", "speed_mps"])
    write_gpx(run, tmp_path / "drift.gpx", sport="running")
    activity = read_log(tmp_path / "drift.gpx")
    assert moving_time_s(activity) == pytest.approx(1201 - 120, abs=15)
    assert not activity.loc["2024-05-01T08:11:00Z", "moving"]


def test_gps_fix_with_implausible_acceleration_removed():
    """A jog at 1.5 m/s with one fix 10.5 m ahead of the track: 12 m/s in is within the speed
    limit but not a human acceleration (10.5 m/s^2); it is blanked, the distance stays true."""
    run = synthetic_run(600, 1.5)
    lat = run["latitude"].to_numpy().copy()
    lat[300] += 10.5 / METRES_PER_DEGREE_LAT
    run["latitude"] = lat
    run = run.drop(columns=["distance_m", "speed_mps"])
    cleaned, _, report = clean(run, sport="running")
    assert report.step("gps_jumps").count == 1
    assert cleaned["distance_m"].iloc[-1] == pytest.approx(900.0, rel=0.01)


def test_positions_are_not_pulled_inward_at_the_ends(tmp_path):
    # a centred running mean cut short at an end lags: it put the last position half a
    # step back, so the distance came out short and the last seconds' speed fell away,
    # which a race fit read as a finish slower than the runner ran
    run = synthetic_run(600, 4.5)
    path = tmp_path / "steady.gpx"
    write_gpx(run, path)  # no distance in GPX: it is integrated from positions
    activity = read_log(path)
    assert activity["distance_m"].iloc[-1] == pytest.approx(2700.0, abs=0.5)
    assert activity["speed_mps"].iloc[-5:].to_numpy() == pytest.approx(4.5, abs=0.05)
    assert activity["speed_mps"].iloc[:5].to_numpy() == pytest.approx(4.5, abs=0.05)


def test_elevation_is_not_lagged_at_the_ends():
    # a run down a steady 2 % slope: the running mean of elevation must read the finish
    # where it is (a window cut short at the end averages only the samples behind it: on a
    # 2 % slope at 4 m/s it read the finish 0.28 m high)
    run = synthetic_run(600, 4.0, grade=-0.02)
    true = run["elevation_m"].to_numpy(dtype=float)
    out, _, _ = clean(run)
    smooth = out["elevation_m"].to_numpy(dtype=float)
    assert smooth[-1] == pytest.approx(true[-1], abs=0.05)
    assert smooth[0] == pytest.approx(true[0], abs=0.05)
    assert smooth[-8:] == pytest.approx(true[-8:], abs=0.05)


def test_centred_mean_keeps_its_window_centred_and_skips_gaps():
    from governor.io.clean import centred_mean

    x = np.arange(10.0) ** 2
    out = centred_mean(x, 5)
    assert out[2:8] == pytest.approx([(x[i - 2:i + 3]).mean() for i in range(2, 8)])
    assert out[1] == pytest.approx(x[:3].mean())  # shrunk to +-1, still centred
    assert out[0] == x[0] and out[-1] == x[-1]
    # a gap is an end like the array's: NaN stays NaN, and the windows beside it stay
    # centred (a window cut short there would lag as at the array's ends)
    x[4] = np.nan
    out = centred_mean(x, 5)
    assert np.isnan(out[4])
    assert out[5] == x[5] and out[3] == x[3]
    assert out[6] == pytest.approx(x[5:8].mean())
    assert out[2] == pytest.approx(x[1:4].mean())
    with pytest.raises(ValueError, match="odd"):
        centred_mean(x, 4)
