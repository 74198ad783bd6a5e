"""The project's own sample logs: readable, plausible, and regenerated exactly."""

from pathlib import Path

import pandas as pd
import pytest

import governor as gv
from governor.fitting import detect_effort
from governor.io import moving_time_s, write_csv, write_gpx
from governor.io.samples import session_log, sessions

DATA = Path(__file__).resolve().parents[2] / "data" / "logs"
NAMES = [s.name for s in sessions()]
SUFFIXES = (".gpx", ".tcx", ".csv")
#: The effort each sample session simulates.
EFFORT = {"easy-run": "training", "tempo-run": "training", "intervals-5x3min": "intervals",
          "race-10k": "race", "race-10k-hot": "race"}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", [".gpx", ".tcx", ".csv"])
def test_sample_logs_read_as_runs(name, suffix):
    activity = gv.read_log(DATA / f"governor-sample-{name}{suffix}")
    assert activity.attrs["sport"] in ("running", None)
    assert 8_000 < activity["distance_m"].max() < 11_000
    assert 25 * 60 < moving_time_s(activity) < 50 * 60
    assert 120 < activity["heart_rate_bpm"].mean() < 190


def test_the_easy_run_stop_and_the_tempo_pause_are_not_moving():
    easy = gv.read_log(DATA / "governor-sample-easy-run.gpx")
    assert len(easy) - moving_time_s(easy) == pytest.approx(90, abs=10)
    tempo = gv.read_log(DATA / "governor-sample-tempo-run.tcx")
    span = tempo.index[-1] - tempo.index[0]
    assert span > pd.Timedelta(seconds=2400 + 120 - 5)
    assert moving_time_s(tempo) == pytest.approx(2400, abs=10)


def test_regeneration_is_byte_identical(tmp_path):
    index = NAMES.index("race-10k")
    frame = session_log(sessions()[index], index)
    write_csv(frame, tmp_path / "race.csv")
    write_gpx(frame, tmp_path / "race.gpx", sport="running")
    assert (tmp_path / "race.csv").read_bytes() == (
        DATA / "governor-sample-race-10k.csv").read_bytes()
    assert (tmp_path / "race.gpx").read_bytes() == (
        DATA / "governor-sample-race-10k.gpx").read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_each_sample_is_its_own_effort_in_every_format(name):
    """GPX speed comes from positions, TCX and CSV speed from the recorded distance: the same
    run is the same effort either way, and the effort it was simulated as."""
    efforts = {suffix: detect_effort(gv.read_log(DATA / f"governor-sample-{name}{suffix}"),
                                     gv.TRAINED.heart_rate_max_bpm)
               for suffix in SUFFIXES}
    assert set(efforts.values()) == {EFFORT[name]}, efforts


@pytest.mark.parametrize("name", NAMES)
def test_each_sample_covers_one_distance_in_every_format(name):
    """Distance summed from the GPX positions agrees with the recorded distance of the TCX
    and CSV copies within 1 % (GPS error that wanders over minutes adds little length)."""
    distance = {suffix: gv.read_log(DATA / f"governor-sample-{name}{suffix}")["distance_m"].max()
                for suffix in SUFFIXES}
    assert distance[".tcx"] == pytest.approx(distance[".csv"], rel=1e-4)
    assert distance[".gpx"] == pytest.approx(distance[".csv"], rel=0.01), distance
