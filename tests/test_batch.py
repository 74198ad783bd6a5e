"""Batch fitting: one row per log whatever the log, nothing lost when killed,
the same rows locally and on a Dask cluster, and a command line that refuses bad options."""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import governor as gv
from governor import batch
from governor.cli import main
from governor.io import read_log, write_csv, write_tcx

LOGS = Path(__file__).resolve().parents[1] / "data" / "logs"
RACE = LOGS / "governor-sample-race-10k.csv"
INTERVALS = LOGS / "governor-sample-intervals-5x3min.csv"
EASY = LOGS / "governor-sample-easy-run.csv"

#: file name in the mixed folder -> (status, error_type)
EXPECTED = {
    "governor-sample-race-10k.csv": ("ok", ""),
    "governor-sample-intervals-5x3min.csv": ("ok", ""),
    "corrupt.gpx": ("unreadable", "CorruptFileError"),
    "notes.csv": ("skipped", "NotAnActivity"),
    "photo.fit": ("unreadable", "CorruptFileError"),
    "empty.tcx": ("unreadable", "EmptyFileError"),
    "ride.tcx": ("skipped", "NotARun"),
    "short.csv": ("skipped", "NotFittable"),
}


def mixed_folder(root: Path) -> Path:
    """Good runs, a truncated GPX, a CSV that is not an activity, a picture named .fit, an
    empty file, a bike ride, a run too short to fit, and files a folder search leaves out."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(RACE, root / RACE.name)
    shutil.copy(INTERVALS, root / INTERVALS.name)
    gpx = EASY.with_suffix(".gpx").read_bytes()
    (root / "corrupt.gpx").write_bytes(gpx[: len(gpx) // 50])
    (root / "notes.csv").write_text("name,age\nx,1\ny,2\n")
    (root / "photo.fit").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (root / "empty.tcx").write_bytes(b"")
    easy = read_log(EASY, clean=False)
    write_tcx(easy.iloc[::10], root / "ride.tcx", sport="cycling")
    write_csv(easy.iloc[:90], root / "short.csv")
    (root / "README.txt").write_text("not a log: a folder search leaves it out")
    (root / ".hidden.gpx").write_text("<gpx/>")
    return root


def copies(root: Path, n: int, source: Path = RACE) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = [root / f"run{i:02d}{source.suffix}" for i in range(n)]
    for p in paths:
        shutil.copy(source, p)
    return paths


def parts_of(out: Path) -> dict[str, list[dict]]:
    parts = Path(f"{out}.parts")
    if not parts.exists():
        return {}
    return {p.stem: json.loads(p.read_text()) for p in parts.glob("*.json")
            if p.name != "batch.json"}


# ------------------------------------------------------------------------ one row each
@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    root = mixed_folder(tmp_path_factory.mktemp("mixed") / "logs")
    out = root.parent / "results.parquet"
    table = gv.fit_many(root, out=out, workers=2, progress=False)
    return root, out, table


def test_a_mixed_folder_gives_one_row_per_log_with_its_status(mixed):
    root, _, table = mixed
    assert list(table.columns) == list(batch.COLUMNS)
    names = [Path(f).name for f in table["file"]]
    assert sorted(names) == sorted(EXPECTED), "one row per activity file, no others"
    for name, (status, error_type) in EXPECTED.items():
        row = table.iloc[names.index(name)]
        assert row["status"] == status, (name, row["error"])
        assert row["error_type"] == error_type, name
        assert (row["error"] == "") == (status == "ok"), name
    assert set(table["status"]) <= set(batch.STATUSES)


def test_rows_carry_the_fit_and_its_uncertainty(mixed):
    _, _, table = mixed
    race = table[table["file"].str.endswith(RACE.name)].iloc[0]
    direct = gv.fit(read_log(RACE))
    assert race["effort"] == "race"
    for name in direct.varied:
        assert race[name] == pytest.approx(getattr(direct.params_, name), rel=1e-9)
        assert race[f"{name}_stderr"] == pytest.approx(direct.stderr_[name], rel=1e-9,
                                                       nan_ok=True)
        low, high = direct.interval_[name]
        assert race[f"{name}_low"] == pytest.approx(low, rel=1e-9, nan_ok=True)
        assert race[f"{name}_high"] == pytest.approx(high, rel=1e-9, nan_ok=True)
    cs = race["critical_speed_mps"]
    assert race["critical_speed_mps_low"] < cs < race["critical_speed_mps_high"]
    assert race["rmse_speed_mps"] == pytest.approx(direct.rmse_speed_)
    assert race["best_model"] == direct.baselines_["aic"].astype(float).idxmin()
    assert race["aic_riegel"] == pytest.approx(direct.baselines_.loc["riegel", "aic"])
    intervals = table[table["file"].str.endswith(INTERVALS.name)].iloc[0]
    # an interval session informs heart rate, not critical speed (held, so NaN here)
    assert pd.isna(intervals["critical_speed_mps"])
    assert intervals["heart_rate_tau_rise_s"] > 0
    assert pd.isna(intervals["aic_riegel"]), "Riegel needs races"
    assert (table["run_time_s"] > 0).all()


def test_results_file_round_trips_and_parts_are_gone(mixed):
    _, out, table = mixed
    assert out.is_file()
    assert not Path(f"{out}.parts").exists(), "parts are removed once the table is written"
    pd.testing.assert_frame_equal(batch.read_results(out), table)


def test_csv_output_round_trips(tmp_path):
    logs = mixed_folder(tmp_path / "logs")
    out = tmp_path / "r.csv"
    table = gv.fit_many([logs / "notes.csv", logs / "short.csv"], out=out, workers=0,
                        progress=False)
    pd.testing.assert_frame_equal(batch.read_results(out), table)


def test_exclude_leaves_files_and_folders_out(tmp_path, capsys):
    logs = mixed_folder(tmp_path / "logs")
    (logs / "extra").mkdir()
    (logs / "extra" / "truth.csv").write_text("runner,cs\na,4.5\n")
    table = gv.fit_many(logs, exclude=[logs / "extra", logs / "notes.csv", logs / "short.csv"],
                        workers=0, progress=False, vary=["heart_rate_tau_rise_s"])
    names = {Path(f).name for f in table["file"]}
    assert names.isdisjoint({"truth.csv", "notes.csv", "short.csv"})
    assert "photo.fit" in names
    code = main(["fit", str(logs / "short.csv"), str(logs / "notes.csv"), "--out",
                 str(tmp_path / "r.csv"), "--workers", "0", "--exclude", str(logs / "notes.csv")])
    assert code == 0
    table = batch.read_results(tmp_path / "r.csv")
    assert table["file"].tolist() == [str(logs / "short.csv")]
    assert table["error"].iloc[0] == "short.csv has under 2 minutes of moving data"


def test_sources_paths_globs_folders_and_activities(tmp_path):
    logs = mixed_folder(tmp_path / "logs")
    items, problems = batch.discover([logs, str(logs / "*.csv"), logs / "README.txt",
                                      str(tmp_path / "nothing*.gpx"), tmp_path / "absent"])
    names = [Path(p).name for p in items]
    assert len(names) == len(set(names)), "a file reached twice is fitted once"
    assert "README.txt" in names, "a file named explicitly is tried"
    assert ".hidden.gpx" not in names
    assert any("matches no file" in p for p in problems)
    assert any("no such file" in p for p in problems)
    activity = read_log(INTERVALS)
    table = gv.fit_many([activity], workers=0, progress=False)
    assert table["status"].tolist() == ["ok"]
    assert table["file"].iloc[0] == str(INTERVALS)



def test_each_fit_of_a_batch_runs_on_one_thread(monkeypatch, tmp_path):
    """The batch's workers take the cores; a fit that took them too would contend."""
    asked = []
    real = batch.fit

    def recording(*args, **kwargs):
        asked.append(kwargs.get("threads"))
        return real(*args, **kwargs)

    monkeypatch.setattr(batch, "fit", recording)
    folder = tmp_path / "runner"
    folder.mkdir()
    for name in ("a", "b"):
        shutil.copy(INTERVALS, folder / f"{name}{INTERVALS.suffix}")
    table = gv.fit_many(folder, workers=0, progress=False, group_by="folder")
    assert (table["status"] == "ok").all() and len(table) == 3
    assert asked == [1, 1, 1]  # each log, and the athlete of both


# ------------------------------------------------------------------------ nothing lost
def _fit_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "governor", "fit", *map(str, args)]


def _start(cmd: list[str], log: Path) -> subprocess.Popen:
    """Start a batch in its own process group, its stderr to ``log``."""
    with open(log, "wb") as err:
        return subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                                stderr=err)


def _wait_for_parts(proc, out: Path, at_least: int, timeout_s: float = 180.0) -> None:
    deadline = time.monotonic() + timeout_s
    while len(parts_of(out)) < at_least:
        if proc.poll() is not None:
            pytest.fail(f"the batch ended (code {proc.returncode}) before it could be killed")
        if time.monotonic() > deadline:
            pytest.fail("no results appeared")
        time.sleep(0.02)


def test_a_batch_killed_mid_way_resumes_complete_without_duplicates(tmp_path):
    paths = copies(tmp_path / "logs", 12)
    out = tmp_path / "results.csv"
    cmd = _fit_cmd(tmp_path / "logs", "--out", out, "--workers", 2, "--quiet")
    # Ctrl-C: the batch stops, says how to go on, keeps what finished
    proc = _start(cmd, tmp_path / "stderr1.txt")
    _wait_for_parts(proc, out, 1)
    os.killpg(proc.pid, signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    assert "--resume" in (tmp_path / "stderr1.txt").read_text()
    interrupted = parts_of(out)
    assert 1 <= len(interrupted) < len(paths)
    # resumed, then killed outright (the batch and its workers at once)
    proc = _start(cmd + ["--resume"], tmp_path / "stderr2.txt")
    _wait_for_parts(proc, out, len(interrupted) + 2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = parts_of(out)
    assert set(interrupted) <= set(before)
    assert len(before) < len(paths), "killed mid-batch"
    assert not out.exists()

    done = subprocess.run(cmd + ["--resume"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    table = batch.read_results(out)
    assert sorted(table["file"]) == sorted(str(p) for p in paths)
    assert table["key"].is_unique
    assert (table["status"] == "ok").all()
    for key, rows in before.items():  # what finished before the kill was kept, not refitted
        row = table[table["key"] == key].iloc[0]
        assert row["worker"] == rows[0]["worker"]
        assert row["run_time_s"] == pytest.approx(rows[0]["run_time_s"])
    assert not Path(f"{out}.parts").exists()


def test_resume_of_a_finished_batch_fits_nothing_and_adds_new_logs(tmp_path, capsys):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "notes.csv").write_text("a,b\n1,2\n")
    out = tmp_path / "r.parquet"
    first = gv.fit_many(logs, out=out, workers=0, progress=False)
    shutil.copy(INTERVALS, logs / INTERVALS.name)
    second = gv.fit_many(logs, out=out, workers=0, resume=True, progress=False)
    assert len(second) == 2
    kept = second[second["key"] == first["key"].iloc[0]].iloc[0]
    assert kept["run_time_s"] == first["run_time_s"].iloc[0], "not refitted"
    # a changed file is fitted again (its identity includes size and modification time)
    (logs / "notes.csv").write_text("a,b,c\n1,2,3\n")
    os.utime(logs / "notes.csv", ns=(1, 1))
    third = gv.fit_many(logs, out=out, workers=0, resume=True, progress=False)
    assert len(third) == 2
    assert first["key"].iloc[0] not in set(third["key"])


def test_resume_fits_again_the_rows_of_an_older_table(tmp_path):
    # a table written before a column existed: its rows are not kept with that column empty
    logs = tmp_path / "logs"
    logs.mkdir()
    shutil.copy(INTERVALS, logs / INTERVALS.name)
    out = tmp_path / "r.csv"
    first = gv.fit_many(logs, out=out, workers=0, progress=False)
    old = pd.read_csv(out)
    old.drop(columns=[c for c in old.columns if c.endswith(("_low", "_high"))]).to_csv(
        out, index=False)
    again = gv.fit_many(logs, out=out, workers=0, resume=True, progress=False)
    assert len(again) == 1
    assert again["heart_rate_tau_rise_s_low"].notna().all(), "fitted again"
    assert again["heart_rate_tau_rise_s_low"].iloc[0] == pytest.approx(
        first["heart_rate_tau_rise_s_low"].iloc[0])
    # a finished table of this version is kept as it is
    kept = gv.fit_many(logs, out=out, workers=0, resume=True, progress=False)
    assert kept["run_time_s"].iloc[0] == again["run_time_s"].iloc[0]


def test_progress_into_a_log_file_is_plain_lines(tmp_path, capsys):
    # stderr captured is not a terminal: no bar redrawn at every step ("\r"), one plain
    # line at the end with the counts
    logs = tmp_path / "logs"
    logs.mkdir()
    shutil.copy(INTERVALS, logs / INTERVALS.name)
    (logs / "notes.csv").write_text("a,b\n1,2\n")
    gv.fit_many(logs, workers=0, progress=True)
    err = capsys.readouterr().err
    assert "\r" not in err
    assert "governor: fitted 2/2 logs (1 ok, 0 failed, 1 skipped)" in err


def test_resume_refuses_other_options(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "notes.csv").write_text("a,b\n1,2\n")
    out = tmp_path / "r.parquet"
    gv.fit_many(logs, out=out, workers=0, progress=False)
    with pytest.raises(ValueError, match="other options"):
        gv.fit_many(logs, out=out, workers=0, resume=True, effort="race", progress=False)
    with pytest.raises(ValueError, match="already exists"):
        gv.fit_many(logs, out=out, workers=0, progress=False)
    again = gv.fit_many(logs, out=out, workers=0, overwrite=True, effort="race",
                        progress=False)
    assert len(again) == 1


class _DyingPool(cf.Executor):
    """A pool whose worker dies on every log named ``doomed`` (and counts its restarts)."""

    started = 0

    def __init__(self, doomed: str) -> None:
        type(self).started += 1
        self.doomed = doomed

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        if self.doomed in args[0].label:
            future.set_exception(cf.process.BrokenProcessPool("a worker died"))
        else:
            future.set_result(fn(*args, **kwargs))
        return future


def test_a_log_whose_worker_dies_twice_is_a_failed_row_and_the_rest_go_on():
    names = [f"log{i}.csv" for i in range(5)]
    jobs = batch.plan([f"/nonexistent/{n}" for n in names])
    store = batch._Store(None, "x", resume=False, overwrite=False)
    progress = batch._Progress(len(jobs), 0, enabled=False)
    _DyingPool.started = 0
    batch._run(jobs, batch.Options(), store, lambda: _DyingPool("log2"), 4, progress)
    table = store.table([j.key for j in jobs])
    doomed = table[table["file"].str.endswith("log2.csv")].iloc[0]
    assert doomed["status"] == "fit failed"
    assert doomed["error_type"] == "WorkerDied"
    assert doomed["attempts"] == 2
    assert "died" in doomed["error"]
    others = table[~table["file"].str.endswith("log2.csv")]
    assert len(others) == 4 and (others["status"] == "unreadable").all()
    assert _DyingPool.started == 3, "a fresh pool after each death"


def test_a_killed_worker_is_reported_and_its_log_retried(tmp_path):
    psutil = pytest.importorskip("psutil")
    copies(tmp_path / "logs", 6)
    out = tmp_path / "results.csv"
    log = tmp_path / "stderr.txt"
    proc = _start(_fit_cmd(tmp_path / "logs", "--out", out, "--workers", 2, "--quiet"), log)
    try:
        _wait_for_parts(proc, out, 1)
        me = psutil.Process(proc.pid)
        # the pool's workers are forked from a server process: grandchildren of the batch
        workers = [p for p in me.children(recursive=True) if p.ppid() != me.pid]
        assert workers, "no worker processes found"
        workers[0].kill()
        proc.wait(timeout=600)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    stderr = log.read_text()
    assert proc.returncode == 0, stderr
    assert "a worker died while fitting" in stderr
    table = batch.read_results(out)
    assert len(table) == 6 and table["key"].is_unique
    assert (table["status"] == "ok").all()
    assert (table["attempts"] == 2).any()


# ------------------------------------------------------------------------ dask
def test_dask_cluster_and_local_pool_give_identical_rows(tmp_path):
    distributed = pytest.importorskip("distributed")
    logs = tmp_path / "logs"
    logs.mkdir()
    for src in (RACE, INTERVALS):
        shutil.copy(src, logs / src.name)
    (logs / "notes.csv").write_text("a,b\n1,2\n")
    local = gv.fit_many(logs, workers=2, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        remote = gv.fit_many(logs, scheduler=cluster.scheduler_address,
                             out=tmp_path / "d.parquet", progress=False)
        with distributed.Client(cluster) as client:
            pids = set(client.run(os.getpid).values())
    keep = [c for c in batch.COLUMNS if c not in batch.RUN_COLUMNS]
    pd.testing.assert_frame_equal(local[keep], remote[keep])
    assert {int(w.split(":")[-1]) for w in remote["worker"]} <= pids, "fitted on the cluster"


# ------------------------------------------------------------------------ athletes
def test_athletes_from_folders_get_a_joint_row(tmp_path):
    for athlete, sources in (("ann", (INTERVALS, EASY)), ("bob", (INTERVALS,))):
        (tmp_path / athlete).mkdir()
        for s in sources:
            shutil.copy(s, tmp_path / athlete / s.name)
    table = gv.fit_many(tmp_path, group_by="folder", workers=2, progress=False)
    logs = table[table["level"] == "log"]
    assert len(logs) == 3 and set(logs["athlete"]) == {"ann", "bob"}
    athletes = table[table["level"] == "athlete"]
    assert athletes["athlete"].tolist() == ["ann"], "an athlete of one log needs no joint row"
    ann = athletes.iloc[0]
    assert ann["status"] == "ok" and ann["n_logs"] == 2
    assert ann["effort"] == "training,intervals", "the logs in file-name order"
    joint = gv.fit([read_log(tmp_path / "ann" / EASY.name),
                    read_log(tmp_path / "ann" / INTERVALS.name)])
    assert ann["heart_rate_tau_rise_s"] == pytest.approx(joint.params_.heart_rate_tau_rise_s)


def test_a_manifest_names_athletes_and_efforts(tmp_path):
    shutil.copy(EASY, tmp_path / "a.csv")
    shutil.copy(INTERVALS, tmp_path / "b.csv")
    (tmp_path / "notes.csv").write_text("x,y\n1,2\n")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("file,athlete,effort\na.csv,cy,training\nb.csv,cy,\n"
                        "notes.csv,cy,\n")
    table = gv.fit_many(tmp_path, group_by=manifest, workers=0, progress=False)
    assert "manifest.csv" not in {Path(f).name for f in table["file"]}, "not a log"
    joint = table[table["level"] == "athlete"].iloc[0]
    assert joint["status"] == "ok" and joint["n_logs"] == 2
    assert "notes.csv (unreadable)" in joint["warnings"]
    bad = tmp_path / "bad.csv"
    bad.write_text("path,who\na.csv,cy\n")
    with pytest.raises(ValueError, match="file and athlete"):
        gv.fit_many(tmp_path / "a.csv", group_by=bad, workers=0, progress=False)
    bad.write_text("file,athlete,effort\na.csv,cy,sprint\n")
    with pytest.raises(ValueError, match="line 2: effort"):
        gv.fit_many(tmp_path / "a.csv", group_by=bad, workers=0, progress=False)


# ------------------------------------------------------------------------ command line
def test_cli_fit_writes_the_table_and_says_some_failed(tmp_path, capsys):
    logs = mixed_folder(tmp_path / "logs")
    out = tmp_path / "r.csv"
    code = main(["fit", str(logs), "--out", str(out), "--workers", "2", "--quiet"])
    assert code == 1, "unreadable logs: exit status 1"
    table = batch.read_results(out)
    assert len(table) == len(EXPECTED)
    assert "failed" in capsys.readouterr().err
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(INTERVALS, good / INTERVALS.name)
    code = main(["fit", str(good), "--out", str(tmp_path / "g.parquet"), "--workers", "0"])
    assert code == 0
    printed = capsys.readouterr()
    assert "1 log(s): 1 ok" in printed.out
    # stderr captured is not a terminal: progress as a plain line, not a bar
    assert "governor: fitted 1/1 logs (1 ok" in printed.err, "progress"


@pytest.mark.parametrize("args, message", [
    (["--out", "r.txt"], "must end in .parquet or .csv"),
    (["--workers", "-1"], "must be 0 or more"),
    (["--workers", "two"], "not a whole number"),
    (["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"], "not both"),
    (["--scheduler", "localhost"], "Dask scheduler address"),
    (["--athlete-from", "nowhere.csv"], "'folder' or a manifest"),
    (["--effort", "sprint"], "invalid choice"),
    (["--resume", "--overwrite"], "not allowed with"),
    (["--per-log", "--athlete-from", "folder"], "not allowed with"),
])
def test_cli_fit_rejects_bad_arguments(tmp_path, capsys, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    assert main(["fit", str(INTERVALS), *args]) == 2
    assert message in capsys.readouterr().err


def test_cli_fit_nothing_to_fit_and_existing_output(tmp_path, capsys):
    assert main(["fit", str(tmp_path / "absent"), "--out", str(tmp_path / "r.csv")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    out = tmp_path / "r.csv"
    out.write_text("x\n")
    assert main(["fit", str(INTERVALS), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_table_beside_the_logs_is_skipped_with_a_short_reason(mixed):
    _, _, table = mixed
    notes = table[table["file"].str.endswith("notes.csv")].iloc[0]
    assert notes["status"] == "skipped" and notes["error_type"] == "NotAnActivity"
    assert notes["error"].startswith("not an activity log: none of its columns (name, age)")
    assert len(notes["error"]) < 150


def test_every_path_given_gets_a_row(tmp_path, capsys):
    missing, empty = tmp_path / "no-such-run.gpx", tmp_path / "empty-folder"
    empty.mkdir()
    out = tmp_path / "r.csv"
    code = main(["fit", str(INTERVALS), str(missing), str(tmp_path / "none*.fit"), str(empty),
                 "--out", str(out), "--workers", "0", "--quiet"])
    assert code == 1, "a path that is not there is a failure"
    table = batch.read_results(out)
    rows = {Path(f).name: r for f, (_, r) in zip(table["file"], table.iterrows(), strict=True)}
    assert set(rows) == {INTERVALS.name, missing.name, "none*.fit", empty.name}
    assert rows[INTERVALS.name]["status"] == "ok"
    for name, reason in ((missing.name, "no such file or folder"),
                         ("none*.fit", "the pattern matches no file"),
                         (empty.name, "no activity files")):
        assert rows[name]["status"] == "unreadable" and rows[name]["error_type"] == "NotFound"
        assert rows[name]["error"].startswith(reason)
    assert "governor:" not in capsys.readouterr().err, "no stray lines: each is a row"


def test_option_errors_name_flags_on_the_command_line_and_keywords_in_python(tmp_path, capsys):
    out = tmp_path / "r.csv"
    out.write_text("x\n")
    assert main(["fit", str(INTERVALS), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("governor fit: error: ") and len(err.strip().splitlines()) == 1
    assert "add --resume to go on from it, or --overwrite to replace it" in err
    assert "fit_many" not in err and "resume=" not in err
    with pytest.raises(batch.OptionError, match=r"resume=True to go on .* overwrite=True"):
        gv.fit_many(INTERVALS, out=out, workers=0, progress=False)
    assert main(["fit", str(INTERVALS), "--vary", "speed_of_light"]) == 2
    assert "--vary: unknown parameter(s) speed_of_light" in capsys.readouterr().err
    import pickle

    error = batch.OptionError("{out} must end in .parquet or .csv, got x.txt")
    again = pickle.loads(pickle.dumps(error))
    assert str(again) == "fit_many: out= must end in .parquet or .csv, got x.txt"
    assert again.worded({"out": "--out"}) == "--out must end in .parquet or .csv, got x.txt"


def test_summary_lists_failures_with_reasons(mixed):
    _, _, table = mixed
    text = batch.summarise(table)
    assert "8 log(s): 2 ok, 3 unreadable, 3 skipped" in text
    assert "photo.fit: suffix .fit but no valid FIT header" in text
    assert "ride.tcx: the sport is cycling" in text


def test_summary_gives_the_races_terms_with_their_intervals(mixed):
    from governor.units import format_pace

    _, _, table = mixed
    race = table[table["file"].str.endswith(RACE.name)].iloc[0]
    text = batch.summarise(table)

    def pace(v):
        return format_pace(v, "km").split()[0]

    # the profile's interval (the faster pace first), not +- a standard error
    cs = (f"{pace(race['critical_speed_mps'])} ({pace(race['critical_speed_mps_high'])}-"
          f"{pace(race['critical_speed_mps_low'])})")
    assert cs in text
    d = race["d_prime_m"], race["d_prime_m_low"], race["d_prime_m_high"]
    assert f"{d[0]:.3g} ({d[1]:.3g}-{d[2]:.3g})" in text
    assert "its 95 % interval" in text


def test_a_script_without_a_main_guard_gets_a_clear_error(tmp_path):
    script = tmp_path / "unguarded.py"
    script.write_text("import governor as gv\n"
                      f"gv.fit_many({str(INTERVALS)!r}, workers=1, progress=False)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.returncode != 0
    assert "BatchError" in done.stderr and 'if __name__ == "__main__":' in done.stderr


def test_an_unreachable_scheduler_is_a_clear_error_and_leaves_nothing(tmp_path, capsys):
    pytest.importorskip("distributed")
    out = tmp_path / "r.csv"
    code = main(["fit", str(INTERVALS), "--scheduler", "tcp://127.0.0.1:9", "--out", str(out),
                 "--quiet"])
    assert code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert not out.exists() and not Path(f"{out}.parts").exists()


def test_the_bar_names_a_long_joint_fit_while_it_runs(capfd, monkeypatch):
    monkeypatch.setattr(batch, "_interactive", lambda stream: True)  # as in a terminal
    bar = batch._Progress(3, 0, enabled=True)
    joint = batch.Job("athlete", "k", "a.csv; b.csv", ("a.csv", "b.csv"), athlete="ann")
    short = batch.Job("log", "j", "/logs/c.csv", ("/logs/c.csv",))
    bar.running([(short, 2.0)])
    assert "fitting" not in bar.bar.postfix, "nothing named before 5 s"
    bar.running([(short, 7.0), (joint, 12.4)])
    assert "athlete ann (2 logs jointly) for 12 s" in bar.bar.postfix
    bar.close()
