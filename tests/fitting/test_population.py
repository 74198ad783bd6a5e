"""A population of simulated runners written as a folder of logs (write_population), and
fitted values put beside its truth (against_truth)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import governor as gv
from governor.batch import to_frame
from governor.fitting.synthetic import (
    POPULATION_RANGES,
    against_truth,
    population_course,
    write_population,
)
from governor.io import CorruptFileError, UnrecognisedColumnsError, read_log
from governor.params import Params

N_RUNNERS = 5  # enough for every kind of bad file
BAD = {"runner-01": "run-export.gpx", "runner-02": "shoe-mileage.csv",
       "runner-03": "commute-ride.tcx", "runner-04": "warm-up.csv",
       "runner-05": "jog-no-heart-rate.csv"}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def good_logs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if "race-" in p.name or "easy-run" in p.name)


@pytest.fixture(scope="module")
def population(tmp_path_factory):
    root = tmp_path_factory.mktemp("population")
    truth = write_population(root, n_runners=N_RUNNERS, seed=3)
    return root, truth


def test_same_seed_same_files_other_seed_other_runners(population, tmp_path):
    root, truth = population
    again = write_population(tmp_path / "again", n_runners=N_RUNNERS, seed=3)
    pd.testing.assert_frame_equal(again, truth)
    assert files(tmp_path / "again") == files(root), "the same seed writes the same bytes"
    other = write_population(tmp_path / "other", n_runners=2, seed=4, bad_files=False)
    assert not np.allclose(other["critical_speed_mps"], truth["critical_speed_mps"].iloc[:2])
    assert sorted(files(tmp_path / "other")) == sorted(
        k for k in files(root) if k == "truth.csv" or k.startswith(("runner-01", "runner-02"))
        and not k.endswith((BAD["runner-01"], BAD["runner-02"]))), \
        "without bad files, only the runners' logs"


def test_truth_is_one_row_per_runner_drawn_in_range_and_written(population):
    root, truth = population
    assert list(truth.index) == [f"runner-{i:02d}" for i in range(1, N_RUNNERS + 1)]
    assert list(truth.columns) == list(Params.names())
    assert sorted(p.name for p in root.iterdir()) == sorted([*truth.index, "truth.csv"])
    written = pd.read_csv(root / "truth.csv", index_col="athlete")
    pd.testing.assert_frame_equal(written, truth, check_exact=False, rtol=1e-12)
    for name, (lo, hi) in POPULATION_RANGES.items():
        assert truth[name].between(lo, hi).all(), name
        assert truth[name].nunique() == N_RUNNERS, f"{name} differs between runners"
    held = [n for n in Params.names() if n not in POPULATION_RANGES]
    for athlete in truth.index:
        runner = Params(**truth.loc[athlete].to_dict())
        assert all(getattr(runner, n) == getattr(gv.TRAINED, n) for n in held)


def test_each_runner_has_races_and_an_easy_run_in_every_format(population):
    root, truth = population
    suffixes = set()
    for i, athlete in enumerate(truth.index):
        logs = good_logs(root / athlete)
        races = [p for p in logs if "race-" in p.name]
        assert len(races) == (1 if i % 3 == 2 else 2), athlete
        assert sum("easy-run" in p.name for p in logs) == 1
        suffixes |= {p.suffix for p in logs}
        for path in logs:
            activity = read_log(path)
            assert activity.attrs["sport"] in (None, "running"), path.name
            assert np.isfinite(activity["heart_rate_bpm"]).mean() > 0.99, path.name
    assert suffixes == {".gpx", ".tcx", ".csv"}


def test_the_logs_are_the_runners_own_races(population):
    """Each race read back (whatever its format) covers the race distance, within its GPS
    noise, in the time the model takes with that runner's true parameters (to the second),
    and not with another runner's."""
    root, truth = population
    environment = gv.Environment(temperature_c=15.0, relative_humidity=0.5)
    runners = {a: Params(**truth.loc[a].to_dict()) for a in truth.index}
    for athlete in truth.index:
        for path in (p for p in good_logs(root / athlete) if "race-" in p.name):
            distance = 1000.0 * float(path.stem.split("race-")[1].removesuffix("km"))
            activity = read_log(path)
            moving = activity[activity["moving"]]
            assert moving["distance_m"].iloc[-1] - moving["distance_m"].iloc[0] == \
                pytest.approx(distance, rel=0.01), path.name
            time_s = float(len(moving))
            times = {a: gv.simulate(p, gv.Race(distance), course=population_course(distance),
                                    environment=environment).finish_time_s
                     for a, p in runners.items()}
            assert time_s == pytest.approx(times[athlete], abs=3.0), path.name
            nearest = min(times, key=lambda a: abs(times[a] - time_s))
            assert nearest == athlete, f"{path.name} looks like {nearest}'s race"


def test_the_course_has_its_hills(tmp_path):
    hilly = write_population(tmp_path / "hilly", n_runners=1, bad_files=False)
    flat = write_population(tmp_path / "flat", n_runners=1, hills_m=0.0, bad_files=False)
    pd.testing.assert_frame_equal(hilly, flat)

    def climb(root):
        race = read_log(next((root / "runner-01").glob("*race-10km*")))
        return float(np.ptp(race["elevation_m"]))

    assert climb(tmp_path / "hilly") == pytest.approx(8.0, abs=1.5)
    assert climb(tmp_path / "flat") < 1.5


def test_bad_files_fail_each_in_its_own_way(population):
    root, _ = population
    path = {a: next((root / a).glob(f"*{name}")) for a, name in BAD.items()}
    with pytest.raises(CorruptFileError):
        read_log(path["runner-01"])
    with pytest.raises(UnrecognisedColumnsError):
        read_log(path["runner-02"])
    assert read_log(path["runner-03"]).attrs["sport"] == "cycling"
    with pytest.raises(ValueError, match="under 2 minutes"):
        gv.fit(read_log(path["runner-04"]))
    jog = read_log(path["runner-05"])
    assert jog["heart_rate_bpm"].isna().all()
    result = gv.fit(jog)
    assert not result.success and "nothing these logs can identify" in result.message


def test_against_truth_puts_each_fitted_value_beside_the_truth():
    truth = pd.DataFrame({"critical_speed_mps": [5.0, 4.0], "d_prime_m": [200.0, 150.0],
                          "reserve_margin": [0.2, 0.3]},
                         index=pd.Index(["ann", "bob"], name="athlete"))
    base = {"level": "log", "status": "ok", "effort": "race"}
    results = to_frame([
        {**base, "file": "/x/ann/a.csv", "athlete": "ann", "critical_speed_mps": 5.2,
         "critical_speed_mps_stderr": 0.1, "d_prime_m": 180.0, "d_prime_m_stderr": math.nan,
         "reserve_margin": 0.2, "reserve_margin_stderr": 0.05},
        {**base, "file": "/x/ann/b.csv", "athlete": "ann", "effort": "training"},
        {**base, "file": "/x/bob/c.csv", "athlete": "bob", "status": "fit failed",
         "critical_speed_mps": 9.0, "critical_speed_mps_stderr": 0.1},
        {**base, "file": "/x/cat/d.csv", "athlete": "cat", "critical_speed_mps": 4.0,
         "critical_speed_mps_stderr": 0.1},
        {**base, "level": "athlete", "file": "/x/bob/c.csv; /x/bob/e.csv", "athlete": "bob",
         "critical_speed_mps": 3.7, "critical_speed_mps_stderr": 0.15},
    ])
    table = against_truth(results, truth)
    assert list(table.columns) == ["level", "athlete", "log", "effort", "parameter", "fitted",
                                   "stderr", "truth", "error", "z"]
    assert table[["athlete", "log", "parameter"]].values.tolist() == [
        ["ann", "a.csv", "critical_speed_mps"], ["ann", "a.csv", "d_prime_m"],
        ["ann", "a.csv", "reserve_margin"], ["bob", "joint", "critical_speed_mps"]]
    cs = table.iloc[0]
    assert cs["truth"] == 5.0 and cs["error"] == pytest.approx(0.2)
    assert cs["z"] == pytest.approx(2.0)
    assert math.isnan(table.iloc[1]["z"]), "no standard error, no z"
    assert table.iloc[2]["z"] == 0.0
    assert table.iloc[3]["z"] == pytest.approx(-2.0), "joint rows against their runner"
    assert table.iloc[3]["level"] == "athlete"


def test_no_runners_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="n_runners"):
        write_population(tmp_path, n_runners=0)
