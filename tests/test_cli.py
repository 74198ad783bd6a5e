"""The ``governor`` command, run in-process through ``governor.cli.main``."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

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


def _printed_seconds(out: str) -> float:
    """The finish (or elapsed) time [s] that ``governor simulate`` printed."""
    return float(re.search(r"^(?:finish|time)\s+[\d:]+\s+\(([\d.]+) s\)", out, re.M).group(1))


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
    printed = _printed_seconds(out)
    assert printed == pytest.approx(sim.finish_time_s, abs=0.05)
    assert "status" in out and sim.status in out
    header = (tmp_path / "trace.csv").read_text().splitlines()[0]
    assert header.startswith("time_s,") and "speed_mps" in header


@pytest.mark.parametrize("miles", [False, True])
def test_simulate_prints_pace_and_splits_in_the_runners_unit(capsys, miles):
    assert main(["simulate", "--race", "5000", *(["--miles"] if miles else [])]) == 0
    out = capsys.readouterr().out
    sim = gv.simulate(gv.TRAINED, gv.Race(5000.0))
    per, unit = ("mile", 1609.344) if miles else ("km", 1000.0)
    m, sec = map(int, re.search(rf"^mean pace\s+(\d+):(\d\d) /{per}", out, re.M).groups())
    assert 60 * m + sec == pytest.approx(unit * sim.finish_time_s / sim.distance_m, abs=0.6)
    splits = sim.split_times_s(unit)
    m, sec = map(int, re.search(rf"^first {per}\s+(\d+):(\d\d)$", out, re.M).groups())
    assert 60 * m + sec == pytest.approx(splits.iloc[0], abs=0.6)
    assert f"({sim.finish_time_s / 1.0:.1f} s)" in out, "the SI value beside the clock time"


@pytest.mark.parametrize("protocol", [["--time-trial", "1200"], ["--tte", "5.5"]])
def test_simulate_other_protocols(protocol, capsys):
    assert main(["simulate", "--set", "recreational", *protocol]) == 0
    assert re.search(r"^time\s+0:\d\d:\d\d\s+\([\d.]+ s\)$", capsys.readouterr().out, re.M)


def test_simulate_modifiers_reach_the_library(capsys):
    assert main(["simulate", "--race", "3000", "--afferent-gain", "0.5",
                 "--experience", "0", "--unknown-endpoint"]) == 0
    out = capsys.readouterr().out
    sim = gv.simulate(gv.TRAINED, gv.Race(3000.0), feedback=gv.Feedback(endpoint_known=False),
                      modifiers=gv.Modifiers(afferent_gain=0.5, experience=0.0))
    printed = _printed_seconds(out)
    assert printed == pytest.approx(sim.finish_time_s, abs=0.05)


def test_simulate_sun_reaches_the_library_and_slows_a_hot_race(capsys):
    assert main(["simulate", "--race", "5000", "--temperature", "28", "--sun", "900"]) == 0
    out = capsys.readouterr().out
    assert "sun 900 W/m²" in out
    sunny = gv.simulate(gv.TRAINED, gv.Race(5000.0),
                        environment=gv.Environment(temperature_c=28.0, solar_w_m2=900.0))
    printed = _printed_seconds(out)
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
    printed = float(re.search(r"^distance\s+[\d.]+ km\s+\((\d+) m\)", out, re.M).group(1))
    assert printed == pytest.approx(sim.distance_m, abs=0.5)


def test_invalid_value_is_a_one_line_error(capsys):
    assert main(["simulate", "--race", "10000", "--temperature", "99"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("governor simulate: error: --temperature must be")
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_option_for_the_wrong_protocol_is_an_error(capsys):
    assert main(["simulate", "--tte", "5", "--pacer-factor", "1.02"]) == 2
    assert "--pacer-factor applies to a Race only" in capsys.readouterr().err


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


@pytest.mark.parametrize("code", ["import governor",
                                  "import governor.cli as c; c.build_parser()",
                                  "import governor as gv; gv.TRAINED; gv.Race(5000)"])
def test_start_up_loads_no_heavy_library(code):
    """``import governor`` and building ``governor --help`` load SciPy, pandas, numba and
    matplotlib only when something needs them (their import is most of a second)."""
    probe = (f"import sys; {code}; "
             "print(' '.join(m for m in ('scipy', 'pandas', 'numba', 'matplotlib') "
             "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []


def test_lazy_names_are_the_library_objects():
    import importlib

    fit_module = importlib.import_module("governor.fitting.fit")
    importlib.import_module("governor.simulate")  # binds the submodule on the package

    assert gv.simulate.__module__ == "governor.simulate" and callable(gv.simulate)
    assert gv.fit is fit_module.fit
    assert set(gv.__all__) <= set(dir(gv))
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        gv.nonsense  # noqa: B018


def test_the_quick_start_is_two_commands_and_ci_runs_the_second():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = quick.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2, "exactly two commands"
    install, test = block
    for line in block:
        assert line.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install")
    assert install.endswith("governor demo") and test.endswith("python -m pytest")
    assert test in (root / ".ci" / "run").read_text().splitlines()
