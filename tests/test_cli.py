"""The ``governor`` command, run in-process through ``governor.cli.main``."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys

import pytest

import governor as gv
from governor.cli import main

SETS = ("recreational", "trained", "elite")
CONDITIONS = ("truthful", "hot", "deceived")
ROW = re.compile(r"^(recreational|trained|elite)\s+(truthful|hot|deceived)\s+(\d+):(\d\d):(\d\d)\s")


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    """One ``governor demo`` (three sets x three conditions), run in an empty directory."""
    cwd = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        out = io.StringIO()  # capsys is function-scoped
        with contextlib.redirect_stdout(out):
            code = main(["demo"])
    return code, out.getvalue(), cwd


def _demo_times(out: str) -> dict[tuple[str, str], int]:
    times = {}
    for line in out.splitlines():
        m = ROW.match(line)
        if m:
            h, mnt, sec = map(int, m.group(3, 4, 5))
            times[m.group(1), m.group(2)] = 3600 * h + 60 * mnt + sec
    return times


def test_demo_prints_every_set_and_condition(demo_run):
    code, out, _ = demo_run
    assert code == 0
    times = _demo_times(out)
    assert set(times) == {(s, c) for s in SETS for c in CONDITIONS}
    for column in ("finish", "first km", "last km", "end spurt %", "peak core"):
        assert column in out


def test_demo_heat_is_slower_for_every_set(demo_run):
    times = _demo_times(demo_run[1])
    for s in SETS:
        assert times[s, "hot"] > times[s, "truthful"], s


def test_demo_writes_a_png(demo_run):
    _, out, cwd = demo_run
    figure = cwd / "governor-demo.png"
    assert figure.is_file()
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(figure.resolve()) in out


def test_demo_out_and_distance(tmp_path, capsys):
    figure = tmp_path / "sub.png"
    assert main(["demo", "--distance", "3000", "--out", str(figure), "--no-fit"]) == 0
    assert figure.is_file()
    assert "3000 m race" in capsys.readouterr().out


def test_simulate_matches_the_library(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["simulate", "--set", "elite", "--race", "5000", "--temperature", "28",
                 "--told-temperature", "22", "--out", "trace.csv"])
    out = capsys.readouterr().out
    assert code == 0
    sim = gv.simulate(gv.ELITE, gv.Race(5000.0), environment=gv.Environment(temperature_c=28.0),
                      feedback=gv.Feedback(told_temperature_c=22.0))
    printed = float(re.search(r"^finish_time_s\s+([\d.]+)", out, re.M).group(1))
    assert printed == pytest.approx(sim.finish_time_s, abs=0.05)
    assert "status" in out and sim.status in out
    header = (tmp_path / "trace.csv").read_text().splitlines()[0]
    assert header.startswith("time_s,") and "speed_mps" in header


@pytest.mark.parametrize("protocol", [["--time-trial", "1200"], ["--tte", "5.5"]])
def test_simulate_other_protocols(protocol, capsys):
    assert main(["simulate", "--set", "recreational", *protocol]) == 0
    assert "finish_time_s" in capsys.readouterr().out


def test_simulate_modifiers_reach_the_library(capsys):
    assert main(["simulate", "--race", "3000", "--afferent-gain", "0.5",
                 "--experience", "0", "--unknown-endpoint"]) == 0
    out = capsys.readouterr().out
    sim = gv.simulate(gv.TRAINED, gv.Race(3000.0), feedback=gv.Feedback(endpoint_known=False),
                      modifiers=gv.Modifiers(afferent_gain=0.5, experience=0.0))
    printed = float(re.search(r"^finish_time_s\s+([\d.]+)", out, re.M).group(1))
    assert printed == pytest.approx(sim.finish_time_s, abs=0.05)


def test_simulate_sun_reaches_the_library_and_slows_a_hot_race(capsys):
    assert main(["simulate", "--race", "5000", "--temperature", "28", "--sun", "900"]) == 0
    out = capsys.readouterr().out
    assert "sun 900 W/m²" in out
    sunny = gv.simulate(gv.TRAINED, gv.Race(5000.0),
                        environment=gv.Environment(temperature_c=28.0, solar_w_m2=900.0))
    printed = float(re.search(r"^finish_time_s\s+([\d.]+)", out, re.M).group(1))
    assert printed == pytest.approx(sunny.finish_time_s, abs=0.05)
    shade = gv.simulate(gv.TRAINED, gv.Race(5000.0),
                        environment=gv.Environment(temperature_c=28.0))
    assert sunny.finish_time_s > shade.finish_time_s


def test_simulate_heat_days_reach_the_library(capsys):
    assert main(["simulate", "--time-trial", "1800", "--temperature", "35",
                 "--heat-days", "10"]) == 0
    out = capsys.readouterr().out
    sim = gv.simulate(gv.TRAINED, gv.TimeTrial(1800.0),
                      environment=gv.Environment(temperature_c=35.0),
                      modifiers=gv.Modifiers(heat_acclimatisation_days=10.0))
    printed = float(re.search(r"^distance_m\s+([\d.]+)", out, re.M).group(1))
    assert printed == pytest.approx(sim.distance_m, abs=0.5)


def test_invalid_value_is_a_one_line_error(capsys):
    assert main(["simulate", "--race", "10000", "--temperature", "99"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "temperature_c" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_option_for_the_wrong_protocol_is_an_error(capsys):
    assert main(["simulate", "--tte", "5", "--pacer-factor", "1.02"]) == 2
    assert "pacer_factor" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["simulate", "--race", "abc"],
    ["simulate"],
    ["simulate", "--race", "5000", "--tte", "5"],
    ["simulate", "--set", "olympian", "--race", "5000"],
    ["frobnicate"],
    [],
])
def test_bad_arguments_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: governor" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"governor {gv.__version__}"


def test_info_on_a_missing_file(tmp_path, capsys):
    pytest.importorskip("governor.io.info")
    missing = tmp_path / "no-such-run.gpx"
    assert main(["info", str(missing)]) != 0
    captured = capsys.readouterr()
    assert "no-such-run.gpx" in captured.out + captured.err


def test_installed_console_script():
    exe = shutil.which("governor")
    if exe is None:
        pytest.skip("the governor console script is not on PATH (package not installed)")
    done = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert done.stdout.strip() == f"governor {gv.__version__}"


def test_python_dash_m():
    done = subprocess.run([sys.executable, "-m", "governor", "--version"], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0
    assert "governor" in done.stdout


def test_output_piped_to_a_reader_that_stops_early_ends_quietly():
    import subprocess
    import sys

    done = subprocess.run(
        f"{sys.executable} -m governor simulate --race 3000 | head -n 1", shell=True,
        capture_output=True, text=True, timeout=300)
    assert done.stdout.startswith("trained runner, race of 3000 m")
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
