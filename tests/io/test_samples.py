"""The project's own sample logs: readable, plausible, and regenerated exactly."""

from pathlib import Path

import pandas as pd
import pytest

import governor as gv
from governor.io import moving_time_s, write_csv, write_gpx
from governor.io.samples import session_log, sessions

DATA = Path(__file__).resolve().parents[2] / "data" / "logs"
NAMES = [s.name for s in sessions()]


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
