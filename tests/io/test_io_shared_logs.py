"""Every real device file in ../shared/data/logs reads as its manifest says, or fails cleanly.

Tolerances (documented choices):

* duration (first to last timestamp) within 2 s of ``duration_s`` (the manifest rounds);
* point count: the raw table (``clean=False``) has ``n_points`` rows within 1 % + 2 (the
  manifest counts trackpoints; some files carry points without time or duplicated times);
* heart rate present iff ``has_hr`` is yes (after cleaning: the RunDouble CSV's all-zero
  heart rate is a missing sensor, so it reads as absent);
* sport: running for "run ...", cycling for "ride"; a file that does not state its sport (a
  GPX without ``<type>``, a CSV) reads as None.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import manifest_rows

from governor.io import (
    LogError,
    NoTimestampsError,
    NoTrackDataError,
    describe,
    mean_maximal_speed,
    moving_time_s,
    read_log,
)
from governor.io.info import main as info_main

ROWS = manifest_rows()
EXPECTED_ERRORS = {
    "goldencheetah__metadata-only-no-track.gpx": NoTrackDataError,
    "gpxpy__cerknicko-without-times.gpx": NoTimestampsError,
}
SPORT = {"run": "running", "ride": "cycling"}


@pytest.mark.shared_data
@pytest.mark.parametrize("row", ROWS, ids=[r["file"] for r in ROWS] or None)
def test_manifest_file(shared_logs, row):
    path = shared_logs / row["file"]
    if row["file"] in EXPECTED_ERRORS:
        with pytest.raises(EXPECTED_ERRORS[row["file"]]) as info:
            read_log(path)
        assert row["file"] in str(info.value)
        assert info.value.reason
        return
    activity = read_log(path)
    raw = read_log(path, clean=False)
    duration = (activity.index[-1] - activity.index[0]).total_seconds()
    assert duration == pytest.approx(float(row["duration_s"]), abs=2.0)
    n = int(row["n_points"])
    assert abs(len(raw) - n) <= 0.01 * n + 2
    has_hr = bool(activity["heart_rate_bpm"].notna().any())
    assert has_hr == (row["has_hr"] == "yes")
    word = row["sport"].split()[0]
    sport = activity.attrs["sport"]
    if sport is not None or row["format"] not in ("csv", "gpx"):
        assert sport == SPORT.get(word, word)
    for key in ("source_file", "format", "device", "sport", "laps", "timezone", "report"):
        assert key in activity.attrs
    if row["file"] == "fitparse__activity-unexpected-eof.fit":
        assert activity.attrs["report"].partial
        assert "cut short" in str(activity.attrs["report"])


@pytest.mark.shared_data
def test_bike_ride_is_cycling(shared_logs):
    ride = read_log(shared_logs / "fitparse__edge500-ride-hr.fit")
    assert ride.attrs["sport"] == "cycling"
    assert ride["distance_m"].iloc[-1] == pytest.approx(92622, rel=0.001)


@pytest.mark.shared_data
def test_same_run_three_formats(shared_logs):
    stem = "sportslib__fr945-run-14km-hr"
    runs = {ext: read_log(shared_logs / f"{stem}.{ext}") for ext in ("fit", "tcx", "gpx")}
    ref = runs["fit"]
    ref_duration = (ref.index[-1] - ref.index[0]).total_seconds()
    ref_distance = ref["distance_m"].iloc[-1] - ref["distance_m"].iloc[0]
    assert ref_distance == pytest.approx(14004.85, rel=0.001)
    for ext, run in runs.items():
        duration = (run.index[-1] - run.index[0]).total_seconds()
        distance = run["distance_m"].iloc[-1] - run["distance_m"].iloc[0]
        assert abs(duration - ref_duration) <= 1.0, ext
        assert distance == pytest.approx(ref_distance, rel=0.01), ext
        assert abs(run["heart_rate_bpm"].mean() - ref["heart_rate_bpm"].mean()) <= 1.0, ext
        assert run.attrs["sport"] == "running"


@pytest.mark.shared_data
def test_moving_times_match_published(shared_logs):
    """sports-lib's specs: 14 km run moving 1:19:37; Suunto trail run moving 35:42."""
    run = read_log(shared_logs / "sportslib__fr945-run-14km-hr.fit")
    assert moving_time_s(run) == pytest.approx(4777, abs=30)
    trail = read_log(shared_logs / "sportslib__suunto9-trail-run-pauses.fit")
    assert moving_time_s(trail) == pytest.approx(2142, abs=30)
    assert trail.attrs["report"]["pauses"].count > 0
    assert "pause record" in trail.attrs["report"]["pauses"].detail


@pytest.mark.shared_data
def test_treadmill_has_distance_without_position(shared_logs):
    run = read_log(shared_logs / "sportslib__fr945-treadmill-no-gps.tcx")
    assert run["latitude"].isna().all()
    assert run["distance_m"].iloc[-1] > 10_000
    assert run["grade"].isna().all()


@pytest.mark.shared_data
def test_shared_csvs(shared_logs):
    fenix = read_log(shared_logs / "fitparse__fenix5-run-records.csv", sport="running")
    assert fenix.index[0].isoformat() == "2017-06-11T14:34:09+00:00"  # 07:34:09 PDT
    assert fenix["latitude"].between(-90, 90).all()
    assert fenix.attrs["timezone"] == "PDT"
    rd = read_log(shared_logs / "tcpd__rundouble-run-walk-intervals.csv")
    assert rd["heart_rate_bpm"].isna().all()  # 0 = no sensor
    assert "min/mile" in " ".join(rd.attrs["report"].notes)
    # speed from pace agrees with the distance column
    moving = rd[rd["moving"]]
    assert moving["speed_mps"].mean() == pytest.approx(
        (rd["distance_m"].iloc[-1]) / len(rd), rel=0.15
    )


@pytest.mark.shared_data
def test_describe_and_mean_maximal(shared_logs):
    run = read_log(shared_logs / "sportslib__fr945-run-14km-hr.fit")
    d = describe(run)
    assert d["distance_m"] == pytest.approx(14004, rel=0.001)
    assert d["duration_s"] == pytest.approx(4989, abs=1)
    assert 130 < d["mean_heart_rate_bpm"] < 145
    curve = mean_maximal_speed(run)
    assert list(curve.index[:2]) == [30.0, 60.0]
    finite = curve.dropna().to_numpy()
    assert np.all(np.diff(finite) <= 1e-9)  # best average never rises with duration
    assert np.isnan(curve.loc[7200.0])


@pytest.mark.shared_data
def test_a_tcx_that_lost_its_root_element_is_read_and_says_so(shared_logs):
    """runpandas' negative test file: the <TrainingCenterDatabase> root removed, so the
    xsi: prefix is unbound. Both are repaired and reported; the run is there."""
    activity = read_log(shared_logs / "runpandas__malformed.tcx")
    report = str(activity.attrs["report"])
    assert "without its <TrainingCenterDatabase> root" in report
    assert "namespace prefix xsi used without a declaration" in report
    assert activity.attrs["sport"] == "running"
    assert activity["heart_rate_bpm"].notna().mean() > 0.9


@pytest.mark.shared_data
def test_info_main(shared_logs, capsys, tmp_path):
    ok = info_main([str(shared_logs / "fitparse__fenix2-run-hr.fit")])
    out = capsys.readouterr().out
    assert ok == 0 and "moving time" in out and "Cleaning report" in out
    broken = tmp_path / "broken.tcx"
    broken.write_text("<TrainingCenterDatabase><Activities><Activity>")
    bad = info_main([str(shared_logs / "fitparse__fenix2-run-hr.fit"), str(broken)])
    out = capsys.readouterr().out
    assert bad == 1 and "CorruptFileError" in out


def test_missing_file_is_logerror(tmp_path):
    with pytest.raises(LogError, match="not found"):
        read_log(tmp_path / "nope.gpx")
