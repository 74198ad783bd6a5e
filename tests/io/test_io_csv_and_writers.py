"""CSV column and unit recognition; writers round-trip through read_log."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest
from io_synthetic import synthetic_run

from governor.io import (
    Activity,
    NotAnActivityError,
    UnrecognisedColumnsError,
    read_log,
    write_csv,
    write_gpx,
    write_tcx,
)

SPEED = 3.0  # m/s: 5:33 /km, 8:56 /mile


def _table(n=600):
    t = np.arange(0, n, 5.0)
    times = pd.Timestamp("2024-05-01T08:00:00Z") + pd.to_timedelta(t, unit="s")
    return t, [x.isoformat().replace("+00:00", "Z") for x in times]


def _write(path, columns):
    pd.DataFrame(columns).to_csv(path, index=False)
    return path


def test_unrecognised_columns_listed(tmp_path):
    # a time column but no data: the accepted names are listed
    path = _write(tmp_path / "x.csv", {"time": [1, 2], "foo": [1, 2], "bar": [3, 4]})
    with pytest.raises(UnrecognisedColumnsError) as info:
        read_log(path)
    msg = str(info.value)
    assert "x.csv" in msg and "foo" in msg and "bar" in msg
    assert "heart_rate" in msg and "timestamp" in msg  # the accepted names
    # no activity column at all (a manifest, a table): not a log, said in one short line
    path = _write(tmp_path / "y.csv", {"foo": [1, 2], "bar": [3, 4]})
    with pytest.raises(NotAnActivityError) as info:
        read_log(path)
    assert isinstance(info.value, UnrecognisedColumnsError)
    assert "not an activity log" in str(info.value) and "foo, bar" in str(info.value)
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("columns", "units"),
    [
        ({"Distance (km)": "km"}, None),
        ({"distance_km": "km"}, None),
        ({"Distance": "km"}, None),  # inferred: grows 0.003/s
        ({"Distance": "m"}, None),
        ({"Distance": "km"}, {"distance": "km"}),
        ({"dist": "mi"}, {"distance": "mi"}),
    ],
)
def test_distance_units(tmp_path, columns, units):
    t, times = _table()
    (name, unit), = columns.items()
    factor = {"m": 1.0, "km": 1000.0, "mi": 1609.344}[unit]
    path = _write(tmp_path / "d.csv", {"Time": times, name: SPEED * t / factor})
    run = read_log(path, units=units)
    assert run["distance_m"].iloc[-1] == pytest.approx(SPEED * t[-1], rel=1e-6)


@pytest.mark.parametrize(
    ("name", "values", "units"),
    [
        ("speed", SPEED, None),
        ("Speed (km/h)", SPEED * 3.6, None),
        ("speed", SPEED * 3.6, None),  # km/h inferred by agreement with distance
        ("speed", SPEED * 3.6, {"speed": "km/h"}),
        ("pace", 1000 / SPEED / 60, None),  # min/km inferred
        ("Pace (min/km)", 1000 / SPEED / 60, None),
        ("pace", 1609.344 / SPEED / 60, None),  # min/mile inferred
        ("pace", 1609.344 / SPEED / 60, {"pace": "min/mile"}),
        ("pace_min_per_mile", 1609.344 / SPEED / 60, None),
    ],
)
def test_speed_and_pace_units(tmp_path, name, values, units):
    t, times = _table()
    path = _write(tmp_path / "s.csv", {"timestamp": times, "distance_m": SPEED * t,
                                       name: np.full(len(t), values)})
    run = read_log(path, units=units, clean=False)
    assert run["speed_mps"].median() == pytest.approx(SPEED, rel=1e-6)


def test_pace_as_clock_text_and_elapsed_time(tmp_path):
    t, _ = _table()
    path = _write(tmp_path / "p.csv", {"Elapsed Time": t, "Pace (min/km)": ["5:33.3"] * len(t),
                                       "HR": 150})
    run = read_log(path, clean=False)
    assert run["speed_mps"].iloc[0] == pytest.approx(1000 / 333.3, rel=1e-6)
    assert run["heart_rate_bpm"].iloc[0] == 150
    assert any("elapsed time only" in n for n in run.attrs["report"].notes)


def test_semicolon_csv_with_semicircles(tmp_path):
    t, times = _table()
    path = tmp_path / "semi.csv"
    pd.DataFrame({"time": times, "position_lat": 45.0 / (180 / 2**31),
                  "position_long": 7.0 / (180 / 2**31), "heart_rate": 140}).to_csv(
        path, sep=";", index=False)
    run = read_log(path, clean=False)
    assert run["latitude"].iloc[0] == pytest.approx(45.0)


@pytest.mark.parametrize("writer,ext", [(write_gpx, "gpx"), (write_tcx, "tcx"), (write_csv, "csv")])
def test_writers_round_trip(tmp_path, writer, ext):
    run = synthetic_run(900, 3.2, grade=0.02)
    path = tmp_path / f"run.{ext}"
    writer(run, path)
    back = read_log(path, sport="running")
    assert isinstance(back, Activity) and isinstance(back, pd.DataFrame)
    assert len(back) == len(run)
    assert (back.index == run.index).all()
    for col, tol in [("latitude", 1e-7), ("longitude", 1e-7), ("heart_rate_bpm", 0.5),
                     ("cadence_spm", 1e-9), ("temperature_c", 1e-9), ("power_w", 1e-9)]:
        if ext == "tcx" and col == "temperature_c":
            assert back[col].isna().all()  # TCX has no temperature field
            continue
        np.testing.assert_allclose(back[col], run[col], atol=tol, err_msg=col)
    assert back["distance_m"].iloc[-1] == pytest.approx(run["distance_m"].iloc[-1], rel=0.002)
    assert np.nanmedian(back["grade"]) == pytest.approx(0.02, abs=0.002)
    assert back.attrs["sport"] == "running"
    # gzipped, and without a suffix: recognised by content
    data = path.read_bytes()
    (tmp_path / "noext").write_bytes(data)
    (tmp_path / f"run.{ext}.gz").write_bytes(gzip.compress(data))
    assert len(read_log(tmp_path / "noext")) == len(run)
    gz = read_log(tmp_path / f"run.{ext}.gz")
    assert gz.attrs["format"] == f"{ext}+gzip"


def test_activity_keeps_attrs_and_type():
    run = synthetic_run(60)
    a = Activity(run)
    a.attrs["sport"] = "running"
    sub = a[a["elapsed_s"] > 10]
    assert isinstance(sub, Activity) and sub.attrs["sport"] == "running"
