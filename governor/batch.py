"""Batch fitting: a folder of logs (or thousands) in, one results table out.

:func:`fit_many` reads and fits each log in a worker process (a local process pool sized to
the cores, or a Dask cluster when ``scheduler=`` is given: the same code path, through the
:class:`concurrent.futures.Executor` interface both provide). Each log's row is written to
its own part-file as soon as the log finishes, so a batch killed at any moment resumes with
``resume=True`` and ends with every row once. A file that cannot be read, is not a run, or
cannot be fitted becomes a row that says why; it never ends the batch. A worker process
that dies (killed, out of memory) is reported and its log retried once, alone.

Results schema
--------------
One row per log (``level == "log"``), and one per athlete when logs are grouped
(``level == "athlete"``, a joint fit of that athlete's readable runs). Columns, in order:

=============================  ===============================================================
``level``                      ``"log"`` or ``"athlete"``
``file``                       the log's path (athlete rows: the athlete's logs, ``"; "``-joined)
``athlete``                    the athlete the log belongs to (empty when not grouped)
``status``                     ``ok``, ``unreadable``, ``fit failed`` or ``skipped``
``error``                      why the status is not ``ok`` (empty when it is)
``error_type``                 the exception's class, e.g. ``CorruptFileError``
``format``, ``sport``          the file format read and the sport the file states
``start_time``                 start of the activity, ISO 8601 UTC
``duration_s``                 moving time [s] the fit used
``distance_m``                 moving distance [m] the fit used
``n_logs``                     logs in the fit (1 for a log row)
``effort``                     ``race``, ``intervals`` or ``training`` per log, ``,``-joined
``has_heart_rate``             whether heart rate was fitted
``<parameter>``                fitted value of each parameter in :data:`PARAMETER_COLUMNS`
                               [its unit, see ``Params.table()``]; NaN where not fitted
``<parameter>_stderr``         its standard error [same unit]; NaN where not informed
``<parameter>_low``            its 95 % interval's lower end [same unit]
                               (``FitResult.interval_``: the profile likelihood for
                               critical speed, D' and the margin, +-1.96 standard errors
                               for the others, and where the profile gives no end);
                               NaN where not fitted or not identified
``<parameter>_high``           its upper end [same unit]
``n_obs``                      residuals in the fit
``rmse_speed_mps``             root-mean-square error of speed [m/s]
``rmse_heart_rate_bpm``        root-mean-square error of heart rate [bpm]
``aic``, ``bic``               information criteria of the whole fit
``aic_<model>``                AIC on speed of ``governor`` and each baseline in
``rmse_<model>_mps``           :data:`BASELINES`, and its speed RMSE [m/s] (NaN where a
                               baseline does not apply: Riegel and CS/D' need races)
``best_model``                 the model with the lowest AIC on speed
``n_warnings``, ``warnings``   the fit's warnings, ``" | "``-joined
``run_time_s``                 wall time to read and fit [s]
``attempts``                   times the log was started (2 after a worker died)
``worker``                     ``host:pid`` of the process that fitted it
``key``                        the row's identity (used by ``resume``)
``options``                    a fingerprint of the options the row was fitted with
=============================  ===============================================================
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import glob
import hashlib
import json
import math
import os
import socket
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from governor.fitting.fit import (
    GOVERNOR_PARAMS,
    HEART_PARAMS,
    RESERVE_PARAMS,
    _interactive,
    available_cores,
    fit,
)
from governor.io import Activity, LogError, NotAnActivityError, read_log
from governor.io._source import FORMATS
from governor.params import TRAINED, Params

__all__ = ["fit_many", "summarise", "discover", "BatchError", "COLUMNS", "PARAMETER_COLUMNS",
           "BASELINES", "STATUSES"]

#: Row statuses.
STATUSES = ("ok", "unreadable", "fit failed", "skipped")
#: Parameters that have their own columns (what a log can inform; see governor.fitting).
PARAMETER_COLUMNS = RESERVE_PARAMS + GOVERNOR_PARAMS + HEART_PARAMS
#: Models compared on speed, in the order of their columns.
BASELINES = ("governor", "constant_pace", "riegel", "cs_d_prime_no_governor")
#: File endings a folder is searched for (a file named explicitly is always tried): the
#: formats the readers know.
ACTIVITY_SUFFIXES = tuple(f".{name}" for name in FORMATS)
#: Efforts accepted by ``effort=`` ("auto": detected per log).
EFFORT_CHOICES = ("auto", "race", "intervals", "training")

_TEXT = ["level", "file", "athlete", "status", "error", "error_type", "format", "sport",
         "start_time"]
_LOG = ["duration_s", "distance_m", "n_logs", "effort", "has_heart_rate"]
_FIT = (["n_obs", "rmse_speed_mps", "rmse_heart_rate_bpm", "aic", "bic"]
        + [f"aic_{m}" for m in BASELINES] + [f"rmse_{m}_mps" for m in BASELINES]
        + ["best_model", "n_warnings", "warnings"])
_RUN = ["run_time_s", "attempts", "worker", "key", "options"]
#: The columns of the results table, in order (parameter columns as in PARAMETER_COLUMNS).
COLUMNS = tuple(_TEXT + _LOG
                + [c for p in PARAMETER_COLUMNS
                   for c in (p, f"{p}_stderr", f"{p}_low", f"{p}_high")]
                + _FIT + _RUN)
_STRING_COLUMNS = frozenset(_TEXT + ["effort", "best_model", "warnings", "worker", "key",
                                      "options"])
_INT_COLUMNS = frozenset(["n_logs", "n_obs", "n_warnings", "attempts"])
#: Columns that say how a row was computed, not what: they differ between identical runs.
RUN_COLUMNS = ("run_time_s", "worker")
_PARTS_META = "batch.json"


class BatchError(RuntimeError):
    """The batch as a whole cannot go on (its output cannot be written, the cluster is
    gone, the options differ from the results being resumed). What finished is kept."""


#: How an option is named in Python (the names the messages are written with).
OPTION_NAMES = {"out": "out=", "resume": "resume=True", "overwrite": "overwrite=True",
                "effort": "effort=", "workers": "workers=", "scheduler": "scheduler=",
                "vary": "vary="}


class OptionError(ValueError):
    """An invalid option, or a batch whose options clash with what is on disk.

    The message names options through placeholders (``{resume}``, ``{out}``, ...), so the
    same error reads in Python terms (``resume=True``) from :func:`fit_many` and in flags
    (``--resume``) from ``governor fit``: :meth:`worded` fills them in."""

    def __init__(self, template: str) -> None:
        self.template = template
        super().__init__("fit_many: " + self.worded(OPTION_NAMES))

    def worded(self, names: Mapping[str, str]) -> str:
        """The message with each option called by ``names[option]``."""
        return self.template.format_map(names)

    def __reduce__(self):
        return (type(self), (self.template,))


def _lit(value) -> str:
    """``value`` as text to be kept literally in an :class:`OptionError` template."""
    return str(value).replace("{", "{{").replace("}", "}}")


class Unmatched(str):
    """A source that matched no file: its message (``"source: reason"``), with ``source``
    and ``reason`` kept as attributes. Each becomes an ``unreadable`` row of the batch."""

    def __new__(cls, source: str, reason: str) -> Unmatched:
        obj = super().__new__(cls, f"{source}: {reason}")
        obj.source, obj.reason = source, reason
        return obj


# ---------------------------------------------------------------------------------- jobs
@dataclass(frozen=True)
class Options:
    """What every fit of a batch is given (part of the results' identity for resume)."""

    effort: str = "auto"
    temperature_c: float | None = None
    params: Params = TRAINED
    vary: tuple[str, ...] | None = None
    starts: int = 8
    seed: int = 0

    def fingerprint(self) -> str:
        d = asdict(self)
        d["params"] = asdict(self.params)
        return hashlib.sha1(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Job:
    """One unit of work: a log, or an athlete's logs fitted jointly."""

    level: str                       # "log" or "athlete"
    key: str                         # identity: same key, same result
    label: str                       # the file (or the athlete's files), for the table
    sources: tuple                   # paths (str) or Activities
    athlete: str = ""
    effort: str | None = None        # per-log override (manifest)
    temperature_c: float | None = None
    extra: dict = field(default_factory=dict, compare=False)


def _file_key(path: str) -> str:
    try:
        st = os.stat(path)
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
    except OSError:
        stamp = "missing"
    return f"{path}|{stamp}"


def _hash(*parts: str) -> str:
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:20]


def discover(sources, *, exclude: Iterable[str | os.PathLike] = ()) -> tuple[list, list[str]]:
    """Expand sources into the logs to fit.

    Parameters
    ----------
    sources
        A path, glob, folder or :class:`~governor.io.Activity`, or a sequence of them.
        Folders are searched recursively for files ending in :data:`ACTIVITY_SUFFIXES`
        (optionally ``.gz``); hidden files are left out. A file named explicitly, or matched
        by a glob, is always tried, whatever its ending.
    exclude
        Paths to leave out (the batch's own outputs).

    Returns
    -------
    (items, problems)
        ``items``: absolute path strings and Activities, in a stable order, each once;
        ``problems``: sources that matched nothing, as :class:`Unmatched` messages.
    """
    if isinstance(sources, str | os.PathLike | Activity):
        sources = [sources]
    excluded = {os.path.abspath(os.fspath(p)) for p in exclude}
    items: list = []
    seen: set[str] = set()
    problems: list[str] = []

    def add(path: str) -> None:
        path = os.path.abspath(path)
        if path not in seen and path not in excluded and not _under(path, excluded):
            seen.add(path)
            items.append(path)

    for source in sources:
        if isinstance(source, Activity):
            items.append(source)
            continue
        if not isinstance(source, str | os.PathLike):
            raise TypeError(f"fit_many: a source must be a path, glob or Activity, "
                            f"not {type(source).__name__}")
        text = os.fspath(source)
        if os.path.isdir(text):
            found = sorted(str(p) for p in Path(text).rglob("*")
                           if p.is_file() and _is_activity_name(p)
                           and not any(part.startswith(".") for part in
                                       p.relative_to(text).parts))
            if not found:
                problems.append(Unmatched(text, "no activity files (.gpx, .tcx, .fit, .csv) "
                                                "in this folder"))
            for p in found:
                add(p)
        elif os.path.exists(text):
            add(text)
        elif glob.has_magic(text):
            matched = sorted(p for p in glob.glob(text, recursive=True) if os.path.isfile(p))
            if not matched:
                problems.append(Unmatched(text, "the pattern matches no file"))
            for p in matched:
                add(p)
        else:
            problems.append(Unmatched(text, "no such file or folder"))
    return items, problems


def _is_activity_name(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name.endswith(ACTIVITY_SUFFIXES)


def _under(path: str, folders: set[str]) -> bool:
    return any(path.startswith(f + os.sep) for f in folders)


def _athletes(items: list, group_by) -> dict[int, tuple[str, dict]]:
    """The athlete (and per-log overrides) of each item, by index."""
    out: dict[int, tuple[str, dict]] = {}
    if group_by is None:
        return out
    if group_by == "folder":
        for i, item in enumerate(items):
            if isinstance(item, str):
                out[i] = (os.path.basename(os.path.dirname(item)), {})
        return out
    if callable(group_by):
        for i, item in enumerate(items):
            name = group_by(item)
            if name:
                out[i] = (str(name), {})
        return out
    if isinstance(group_by, Mapping):
        table = {os.path.abspath(os.fspath(k)): (str(v), {}) for k, v in group_by.items()}
    else:
        table = read_manifest(group_by)
    for i, item in enumerate(items):
        if isinstance(item, str) and item in table:
            out[i] = table[item]
    return out


def read_manifest(path: str | os.PathLike) -> dict[str, tuple[str, dict]]:
    """Read a manifest CSV that names each log's athlete.

    Columns: ``file`` (relative to the manifest's folder, or absolute) and ``athlete``;
    optionally ``effort`` (race, intervals, training) and ``temperature_c`` (air
    temperature [degC]) per log. Returns ``{absolute path: (athlete, overrides)}``.
    """
    path = os.fspath(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path}: cannot read the manifest: {exc}") from None
    missing = {"file", "athlete"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: a manifest needs the columns file and athlete "
                         f"(missing: {', '.join(sorted(missing))})")
    base = os.path.dirname(os.path.abspath(path))
    out: dict[str, tuple[str, dict]] = {}
    for line, row in enumerate(table.itertuples(index=False), start=2):
        over: dict = {}
        effort = getattr(row, "effort", "")
        if effort:
            if effort not in EFFORT_CHOICES:
                raise ValueError(f"{path}, line {line}: effort must be one of "
                                 f"{', '.join(EFFORT_CHOICES)}, got {effort!r}")
            over["effort"] = effort
        temp = getattr(row, "temperature_c", "")
        if temp:
            try:
                over["temperature_c"] = float(temp)
            except ValueError:
                raise ValueError(f"{path}, line {line}: temperature_c {temp!r} is not a "
                                 "number") from None
        out[os.path.normpath(os.path.join(base, row.file))] = (row.athlete, over)
    return out


def plan(items: list, *, group_by=None) -> list[Job]:
    """The jobs for a list of items from :func:`discover`: one per log, and one per
    athlete (of two or more logs) when grouped."""
    who = _athletes(items, group_by)
    jobs: list[Job] = []
    by_athlete: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        athlete, over = who.get(i, ("", {}))
        if isinstance(item, Activity):
            label = str(item.attrs.get("source_file") or f"<activity {i}>")
            key = _hash("log", "activity", str(i), label, str(len(item)))
        else:
            label = item
            key = _hash("log", _file_key(item), athlete, json.dumps(over, sort_keys=True))
        jobs.append(Job("log", key, label, (item,), athlete, over.get("effort"),
                        over.get("temperature_c")))
        if athlete:
            by_athlete.setdefault(athlete, []).append(i)
    for athlete, idx in sorted(by_athlete.items()):
        if len(idx) < 2:
            continue
        members = [jobs[i] for i in idx]
        key = _hash("athlete", athlete, *(j.key for j in members))
        jobs.append(Job("athlete", key, "; ".join(j.label for j in members),
                        tuple(j.sources[0] for j in members), athlete,
                        extra={"efforts": [j.effort for j in members],
                               "temperatures": [j.temperature_c for j in members]}))
    return jobs


# ---------------------------------------------------------------------------------- rows
def _empty_row(job: Job) -> dict:
    row: dict = dict.fromkeys(COLUMNS)
    row.update(level=job.level, file=job.label, athlete=job.athlete, status="ok", error="",
               error_type="", n_logs=len(job.sources), attempts=1, key=job.key,
               worker=f"{socket.gethostname()}:{os.getpid()}")
    return row


def _describe(activity: Activity) -> dict:
    attrs = activity.attrs
    start = activity.index[0] if len(activity) else None
    return {"format": attrs.get("format") or "", "sport": attrs.get("sport") or "",
            "start_time": start.isoformat() if start is not None else ""}


def _is_run(sport: str | None) -> bool:
    return not sport or "run" in sport.lower()


def _fill_fit(row: dict, result) -> None:
    row["status"] = "ok" if result.success else "fit failed"
    if not result.success:
        row["error"] = result.message
        row["error_type"] = "FitFailed"
    row["n_obs"] = result.n_obs
    row["duration_s"] = float(sum(log.duration_s for log in result.logs))
    row["distance_m"] = float(sum(float(log.distance_m[-1]) for log in result.logs))
    row["effort"] = ",".join(log.effort for log in result.logs)
    row["has_heart_rate"] = bool(any(log.has_heart_rate for log in result.logs))
    row["rmse_speed_mps"] = result.rmse_speed_
    row["rmse_heart_rate_bpm"] = result.rmse_heart_rate_
    row["aic"], row["bic"] = result.aic, result.bic
    for name in result.varied:
        row[name] = (float(getattr(result.params_, name)) if result.params_ is not None
                     else math.nan)
        row[f"{name}_stderr"] = float(result.stderr_.get(name, math.nan))
        row[f"{name}_low"], row[f"{name}_high"] = map(
            float, result.interval_.get(name, (math.nan, math.nan)))
    base = result.baselines_
    for model in BASELINES:
        if model in base.index:
            row[f"aic_{model}"] = float(base.loc[model, "aic"])
            row[f"rmse_{model}_mps"] = float(base.loc[model, "rmse_speed_mps"])
    if not base.empty:
        row["best_model"] = str(base["aic"].astype(float).idxmin())
    row["n_warnings"] = len(result.warnings)
    row["warnings"] = " | ".join(result.warnings)


def _error(row: dict, status: str, exc: BaseException, reason: str | None = None) -> dict:
    row["status"] = status
    row["error_type"] = type(exc).__name__
    row["error"] = reason if reason is not None else str(exc)
    return row


def run_job(job: Job, options: Options) -> list[dict]:
    """Read and fit one job's logs; return its rows. Never raises for a bad log: every
    failure becomes the row's status and error. Runs inside a worker."""
    t0 = time.perf_counter()
    row = _empty_row(job)
    try:
        if "unmatched" in job.extra:
            _error(row, "unreadable", FileNotFoundError(), job.extra["unmatched"])
            row["error_type"] = "NotFound"
        elif job.level == "log":
            _run_log(job, options, row)
        else:
            _run_athlete(job, options, row)
    except Exception as exc:  # a bug or a log nobody foresaw: a row, not the end
        _error(row, "fit failed", exc, f"unexpected {type(exc).__name__}: {exc}")
    row["run_time_s"] = time.perf_counter() - t0
    return [row]


def _read(source) -> Activity:
    return source if isinstance(source, Activity) else read_log(source)


def _effort(options: Options, override: str | None) -> str | None:
    effort = override or options.effort
    return None if effort == "auto" else effort


def _run_log(job: Job, options: Options, row: dict) -> None:
    try:
        activity = _read(job.sources[0])
    except NotAnActivityError as exc:  # a manifest or a table beside the logs
        _error(row, "skipped", exc, exc.reason)
        row["error_type"] = "NotAnActivity"
        return
    except LogError as exc:
        _error(row, "unreadable", exc, exc.reason)
        return
    except MemoryError as exc:
        _error(row, "unreadable", exc, "the file needs more memory than the worker has")
        return
    row.update(_describe(activity))
    sport = activity.attrs.get("sport")
    if not _is_run(sport):
        _error(row, "skipped", ValueError(), f"the sport is {sport}: the model is of running")
        row["error_type"] = "NotARun"
        return
    temperature = job.temperature_c if job.temperature_c is not None else options.temperature_c
    try:
        # one thread: the batch's workers already take the cores
        result = fit(activity, params=options.params, vary=options.vary,
                     effort=_effort(options, job.effort), temperature_c=temperature,
                     starts=options.starts, seed=options.seed, threads=1)
    except ValueError as exc:  # fit's refusals: too short, nothing to fit ...
        where = str(job.label)
        reason = str(exc).removeprefix("fit: ").replace(where, os.path.basename(where))
        _error(row, "skipped", exc, reason)
        row["error_type"] = "NotFittable"
        return
    _fill_fit(row, result)


def _run_athlete(job: Job, options: Options, row: dict) -> None:
    activities, efforts, temps, names, left_out = [], [], [], [], []
    for source, effort, temp in zip(job.sources, job.extra["efforts"],
                                    job.extra["temperatures"], strict=True):
        name = source if isinstance(source, str) else str(source.attrs.get("source_file"))
        try:
            activity = _read(source)
        except (LogError, MemoryError):
            left_out.append(f"{os.path.basename(name)} (unreadable)")
            continue
        if not _is_run(activity.attrs.get("sport")):
            left_out.append(f"{os.path.basename(name)} (not a run)")
            continue
        activities.append(activity)
        efforts.append(_effort(options, effort))
        temps.append(temp if temp is not None else options.temperature_c)
        names.append(name)
    row["file"] = "; ".join(names)
    row["n_logs"] = len(activities)
    if not activities:
        _error(row, "skipped", ValueError(), "none of the athlete's logs is a readable run")
        row["error_type"] = "NoLogs"
        return
    # a log too short to fit is left out of the joint fit (its own row says why)
    from governor.fitting.data import prepare
    keep = []
    for i, (a, e, t) in enumerate(zip(activities, efforts, temps, strict=True)):
        try:
            prepare(a, effort=e, temperature_c=t,
                    heart_rate_max_bpm=options.params.heart_rate_max_bpm)
            keep.append(i)
        except ValueError:
            left_out.append(f"{os.path.basename(names[i])} (too short)")
    if not keep:
        _error(row, "skipped", ValueError(), "none of the athlete's logs can be fitted")
        row["error_type"] = "NoLogs"
        return
    activities = [activities[i] for i in keep]
    row["file"] = "; ".join(names[i] for i in keep)
    row["n_logs"] = len(activities)
    try:
        result = fit(activities, params=options.params, vary=options.vary,
                     effort=[efforts[i] for i in keep],
                     temperature_c=[temps[i] for i in keep],
                     starts=options.starts, seed=options.seed, threads=1)
    except ValueError as exc:
        _error(row, "skipped", exc, str(exc).removeprefix("fit: "))
        return
    _fill_fit(row, result)
    if left_out:
        note = "left out: " + ", ".join(left_out)
        row["warnings"] = " | ".join(w for w in (row["warnings"], note) if w)
        row["n_warnings"] = (row["n_warnings"] or 0) + 1
    if row["start_time"] is None:
        row.update({k: v for k, v in _describe(activities[0]).items() if k == "start_time"})


def _died_row(job: Job, attempts: int, reason: str) -> dict:
    row = _empty_row(job)
    row.update(status="fit failed", error_type="WorkerDied", attempts=attempts, worker="",
               error=f"the worker process died while fitting this log, {attempts} times "
                     f"({reason}); it may need more memory than a worker has")
    row["run_time_s"] = math.nan
    return row


# ---------------------------------------------------------------------------------- store
class _Store:
    """Where rows go as they finish: one JSON part-file per job in ``<out>.parts/``,
    written atomically; at the end, the whole table to ``out`` (atomically), after which
    the parts are removed. ``out=None`` keeps rows in memory only."""

    def __init__(self, out: str | os.PathLike | None, fingerprint: str, *, resume: bool,
                 overwrite: bool, dry: bool = False) -> None:
        """``dry``: only check the options and what is on disk; write and remove nothing."""
        self.rows: dict[str, list[dict]] = {}
        self.fingerprint = fingerprint
        self.out = None if out is None else Path(out)
        self.parts = None if out is None else Path(f"{out}.parts")
        if self.out is None:
            if resume:
                raise OptionError("{resume} needs {out} (where the results are kept)")
            return
        if self.out.suffix.lower() not in (".parquet", ".csv"):
            raise OptionError(f"{{out}} must end in .parquet or .csv, got {_lit(self.out)}")
        if not self.out.parent.is_dir():
            raise OptionError(f"the folder of {{out}} {_lit(self.out)} does not exist")
        has_old = self.out.exists() or self.parts.exists()
        if has_old and not (resume or overwrite):
            raise OptionError(f"{_lit(self.out)} (or its parts) already exists: add {{resume}} to "
                              "go on from it, or {overwrite} to replace it")
        if dry:
            if resume and has_old:
                self._load(fingerprint)
            return
        if overwrite and not resume:
            self._remove_parts()
            with contextlib.suppress(FileNotFoundError):
                self.out.unlink()
        meta = {"fingerprint": fingerprint, "columns": list(COLUMNS)}
        if resume and has_old:
            self._load(fingerprint)
        try:
            self.parts.mkdir(exist_ok=True)
            _atomic_write_text(self.parts / _PARTS_META, json.dumps(meta))
        except OSError as exc:
            raise BatchError(f"cannot write the results folder {self.parts}: "
                             f"{exc.strerror or exc}") from None

    def _load(self, fingerprint: str) -> None:
        meta_path = self.parts / _PARTS_META
        if self.parts.exists() and meta_path.exists():
            meta = json.loads(meta_path.read_text())
            if meta.get("fingerprint") != fingerprint:
                raise OptionError(f"the results in {_lit(self.parts)} were made with other "
                                  "options (effort, temperature, parameters): resume with "
                                  "the same options, or give {overwrite}")
        if self.out.exists():
            table = read_results(self.out)
            if (table["options"] != fingerprint).any():
                raise OptionError(f"the results in {_lit(self.out)} were made with other "
                                  "options: resume with the same options, or give "
                                  "{overwrite}")
            # rows written before a column was added (an earlier version's table) are
            # fitted again, not kept with that column empty
            if set(table.attrs["stored_columns"]) >= set(COLUMNS):
                for key, group in table.groupby("key", sort=False):
                    self.rows[str(key)] = [_clean_record(r)
                                           for r in group.to_dict("records")]
        if self.parts.exists():
            for part in sorted(self.parts.glob("*.json")):
                if part.name == _PARTS_META:
                    continue
                try:
                    rows = json.loads(part.read_text())
                except (OSError, ValueError):
                    continue  # cannot happen with atomic writes; refit it to be safe
                if not all(set(COLUMNS) <= set(r) for r in rows):
                    self.rows.pop(part.stem, None)  # an earlier version's rows: refit
                    continue
                self.rows[part.stem] = rows
            for tmp in self.parts.glob(".*.tmp*"):
                with contextlib.suppress(OSError):
                    tmp.unlink()

    def done(self, key: str) -> bool:
        return key in self.rows

    def add(self, key: str, rows: list[dict]) -> None:
        for row in rows:
            row["options"] = self.fingerprint
        self.rows[key] = rows
        if self.parts is None:
            return
        try:
            _atomic_write_text(self.parts / f"{key}.json", json.dumps(rows, default=_json))
        except OSError as exc:
            raise BatchError(f"cannot write results to {self.parts}: "
                             f"{exc.strerror or exc}") from None

    def table(self, keys: Sequence[str]) -> pd.DataFrame:
        rows = [r for k in keys if k in self.rows for r in self.rows[k]]
        table = to_frame(rows)
        if self.out is not None:
            try:
                write_results(table, self.out)
            except OSError as exc:
                raise BatchError(f"cannot write {self.out}: {exc.strerror or exc} (the rows "
                                 f"are kept in {self.parts}; run again with resume to write "
                                 "them)") from None
            self._remove_parts()
        return table

    def _remove_parts(self) -> None:
        if self.parts is None or not self.parts.exists():
            return
        for p in self.parts.iterdir():
            with contextlib.suppress(OSError):
                p.unlink()
        with contextlib.suppress(OSError):
            self.parts.rmdir()


def _json(value):
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _clean_record(record: dict) -> dict:
    out = {}
    for k, v in record.items():
        if isinstance(v, float) and math.isnan(v) and k in _STRING_COLUMNS:
            v = None
        elif isinstance(v, np.generic):
            v = v.item()
        elif v is pd.NA:
            v = None
        out[k] = v
    return out


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    tmp.write_text(text)
    os.replace(tmp, path)


def to_frame(rows: Sequence[dict]) -> pd.DataFrame:
    """Rows as a table with the documented columns and types."""
    extra = sorted({k for r in rows for k in r} - set(COLUMNS))
    table = pd.DataFrame(list(rows), columns=list(COLUMNS) + extra)
    for col in table.columns:
        if col in _STRING_COLUMNS:
            table[col] = table[col].astype("string").fillna("")
        elif col in _INT_COLUMNS:
            table[col] = pd.to_numeric(table[col], errors="coerce").astype("Int64")
        elif col == "has_heart_rate":
            table[col] = table[col].astype("boolean")
        else:
            table[col] = pd.to_numeric(table[col], errors="coerce").astype(float)
    return table


def write_results(table: pd.DataFrame, path: str | os.PathLike) -> Path:
    """Write a results table to ``.parquet`` (pyarrow) or ``.csv``, atomically. Without
    pyarrow a ``.parquet`` request is written as CSV beside it, and the path returned."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            path = path.with_suffix(".csv")
            print(f"governor: pyarrow is not installed; writing {path} instead",
                  file=sys.stderr)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    if path.suffix.lower() == ".parquet":
        table.to_parquet(tmp, index=False)
    else:
        table.to_csv(tmp, index=False)
    os.replace(tmp, path)
    return path


def read_results(path: str | os.PathLike) -> pd.DataFrame:
    """Read a results table written by :func:`fit_many` (``.parquet`` or ``.csv``), with
    every column of :data:`COLUMNS`; ``attrs["stored_columns"]`` lists those the file
    held (a table of an earlier version may lack some)."""
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        table = pd.read_parquet(path)
    else:
        table = pd.read_csv(path, dtype={c: str for c in _STRING_COLUMNS},
                            keep_default_na=False, na_values={c: [""] for c in COLUMNS
                                                              if c not in _STRING_COLUMNS})
    missing = {"key", "status", "file"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: not a governor results table (no {', '.join(missing)})")
    out = to_frame(table.to_dict("records"))
    out.attrs["stored_columns"] = list(table.columns)
    return out


# ---------------------------------------------------------------------------------- run
class _InProcess(cf.Executor):
    """Runs each job at submission, in this process (``workers=0``: debugging)."""

    def submit(self, fn, /, *args, **kwargs):
        future: cf.Future = cf.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


_THREAD_LIMITS = []


def _one_thread_per_worker() -> None:
    """Worker initialiser: Ctrl-C is the batch's to handle (it stops the pool), and one
    BLAS/OpenMP thread per worker process: the pool already uses every core, and more
    threads per worker only contend (Dask's workers do the same)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from threadpoolctl import threadpool_limits

    _THREAD_LIMITS.append(threadpool_limits(limits=1))


def _local_pool(workers: int) -> cf.Executor:
    if workers == 0:
        return _InProcess()
    import multiprocessing as mp

    # forkserver: a clean process to fork workers from (no threads of the caller's, such
    # as a progress bar or a notebook kernel's, copied into them)
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context(method),
                                  initializer=_one_thread_per_worker)
    try:  # a worker that cannot even start is the batch's problem, not a log's
        pool.submit(os.getpid).result()
    except cf.process.BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        raise BatchError(
            "the worker processes die as they start. A script that calls fit_many must "
            "call it under `if __name__ == \"__main__\":` (the workers import the script); "
            "otherwise the machine may be out of memory (try workers=0 to fit in this "
            "process)") from None
    return pool


def _worker_died(exc: BaseException) -> str | None:
    """Why a future failed, if it was its worker process dying (else None)."""
    name = type(exc).__name__
    if isinstance(exc, cf.process.BrokenProcessPool):
        return "the process pool lost a worker"
    if name == "KilledWorker":  # dask.distributed, after its allowed-failures
        return str(exc) or "the cluster lost the worker"
    return None


def _run(jobs: Sequence[Job], options: Options, store: _Store, make_executor: Callable,
         window: int, progress) -> None:
    """Run the jobs not yet in ``store``, ``window`` at a time, writing each result as it
    comes. A job whose worker dies is retried once, alone (so that a log that kills its
    worker cannot take another log down with it twice)."""
    queue = deque(job for job in jobs if not store.done(job.key))
    retry: deque[Job] = deque()
    attempts: Counter[str] = Counter()
    executor = make_executor()
    running: dict[cf.Future, Job] = {}
    started: dict[cf.Future, float] = {}
    try:
        while queue or retry or running:
            if retry and not running:
                job = retry.popleft()  # alone in the pool
                attempts[job.key] += 1
                future = executor.submit(run_job, job, options)
                running[future], started[future] = job, time.monotonic()
            while queue and not retry and len(running) < window:
                job = queue.popleft()
                attempts[job.key] += 1
                future = executor.submit(run_job, job, options)
                running[future], started[future] = job, time.monotonic()
            if not running:
                continue
            # wake every second to show what is running (a joint fit takes a while)
            done, _ = cf.wait(running, timeout=1.0, return_when=cf.FIRST_COMPLETED)
            progress.running([(running[f], time.monotonic() - started[f]) for f in running
                              if f not in done])
            broken = False
            for future in done:
                job = running.pop(future)
                started.pop(future, None)
                try:
                    rows = future.result()
                except Exception as exc:
                    reason = _worker_died(exc)
                    if reason is None:
                        raise BatchError(f"the batch stopped: {type(exc).__name__}: {exc} "
                                         "(finished logs are saved; resume to go on)") from exc
                    broken = broken or isinstance(exc, cf.process.BrokenProcessPool)
                    if attempts[job.key] < 2 and type(exc).__name__ != "KilledWorker":
                        progress.note(f"a worker died while fitting {job.label}; "
                                      "retrying it alone")
                        retry.append(job)
                        continue
                    rows = [_died_row(job, attempts[job.key], reason)]
                for row in rows:
                    row["attempts"] = attempts[job.key]
                store.add(job.key, rows)
                progress.update(rows)
            if broken:
                # every other future of a broken pool fails too: collect them, start anew
                for future, job in list(running.items()):
                    with contextlib.suppress(Exception):
                        future.result()
                    running.pop(future)
                    if attempts[job.key] < 2:
                        retry.append(job)
                    else:
                        rows = [_died_row(job, attempts[job.key], "the pool lost a worker")]
                        store.add(job.key, rows)
                        progress.update(rows)
                _shutdown(executor, cancel=True)
                executor = make_executor()
    except BaseException:
        _shutdown(executor, cancel=True)  # interrupted: what did not finish is not kept
        raise
    _shutdown(executor, cancel=False)


def _shutdown(executor: cf.Executor, *, cancel: bool) -> None:
    """Shut a pool down; with ``cancel``, drop what has not started and do not wait."""
    if isinstance(executor, cf.ProcessPoolExecutor):
        executor.shutdown(wait=not cancel, cancel_futures=cancel)
    else:  # dask's ClientExecutor: shutdown(wait=False) cancels
        executor.shutdown(wait=not cancel)


#: Seconds between the progress lines written where stderr is not a terminal (a log file).
PROGRESS_LINE_S = 30.0


class _Progress:
    """A tqdm bar with ok/failed counts and an ETA (or nothing when quiet). Where stderr is
    not a terminal (a log file, a scheduler's output) a bar would write a line at every
    redraw; there one plain line is written every :data:`PROGRESS_LINE_S` and at the
    end."""

    def __init__(self, total: int, done: int, enabled: bool) -> None:
        self.counts: Counter[str] = Counter()
        self.bar = None
        self.lines = enabled and not _interactive(sys.stderr)
        self.total, self.done = total, done
        self.started = self.last_line = time.monotonic()
        if enabled and not self.lines:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=done, unit="log", dynamic_ncols=True,
                            desc="fitting", file=sys.stderr)

    def update(self, rows: list[dict]) -> None:
        for row in rows:
            self.counts[row["status"]] += 1
        self.done += 1
        if self.bar is not None:
            self._postfix()
            self.bar.update(1)
        elif self.lines and (time.monotonic() - self.last_line >= PROGRESS_LINE_S
                             or self.done >= self.total):
            self._line()

    def _line(self) -> None:
        self.last_line = time.monotonic()
        failed = self.counts["unreadable"] + self.counts["fit failed"]
        print(f"governor: fitted {self.done}/{self.total} logs ({self.counts['ok']} ok, "
              f"{failed} failed, {self.counts['skipped']} skipped) in "
              f"{self.last_line - self.started:.0f} s", file=sys.stderr, flush=True)

    def running(self, jobs: list[tuple[Job, float]]) -> None:
        """Name the longest-running job (with its time so far) once it has run 5 s: a
        joint fit of an athlete's logs can take a minute."""
        if self.bar is None:
            return
        long = [(t, j) for j, t in jobs if t >= 5.0]
        now = ""
        if long:
            t, job = max(long, key=lambda tj: tj[0])
            what = (f"athlete {job.athlete} ({len(job.sources)} logs jointly)"
                    if job.level == "athlete" else os.path.basename(job.label))
            now = f"{what} for {t:.0f} s"
        self._postfix(now)
        self.bar.refresh()

    def _postfix(self, now: str = "") -> None:
        failed = self.counts["unreadable"] + self.counts["fit failed"]
        fields = {"ok": self.counts["ok"], "failed": failed, "skipped": self.counts["skipped"]}
        if now:
            fields["fitting"] = now
        self.bar.set_postfix(fields, refresh=False)

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(f"governor: {message}", file=sys.stderr)
        else:
            print(f"governor: {message}", file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def fit_many(sources, *, out: str | os.PathLike | None = None, workers: int | None = None,
             scheduler=None, resume: bool = False, overwrite: bool = False, group_by=None,
             effort: str = "auto", temperature_c: float | None = None,
             params: Params | None = None, vary: Sequence[str] | None = None,
             starts: int = 8, seed: int = 0, exclude: Iterable[str | os.PathLike] = (),
             progress: bool = True) -> pd.DataFrame:
    """Fit many logs in parallel, one row per log (and per athlete when grouped).

    Parameters
    ----------
    sources
        Paths, globs, folders (searched recursively) or Activities, or one of them.
    out
        Where to keep the results: a ``.parquet`` (pyarrow) or ``.csv`` file. Each log's row
        is written to ``<out>.parts/`` as it finishes; the table replaces them at the end.
        None: keep nothing on disk (no resume).
    workers
        Size of the local process pool (default: the cores this process may use); ``0``
        runs in this process. Not with ``scheduler``.
    scheduler
        A Dask cluster: a ``distributed.Client``, or the scheduler's address
        (``"tcp://host:8786"``). Its workers must have governor installed.
    resume
        Keep the rows already in ``out`` (and its parts) and fit only the rest. The options
        must be those the rows were made with.
    overwrite
        Replace an existing ``out`` (and its parts) instead of refusing.
    group_by
        None: logs only. ``"folder"``: the athlete is each log's folder; a manifest CSV
        path (columns ``file, athlete``, optionally ``effort, temperature_c``); a mapping
        path -> athlete; or a callable path -> athlete. Each athlete with two or more logs
        also gets a row fitted on all of them jointly.
    effort
        ``"auto"`` (detected per log), ``"race"``, ``"intervals"`` or ``"training"``.
    temperature_c
        Air temperature of the logs [degC] (default: what :func:`governor.fit` assumes).
    params, vary, starts, seed
        As for :func:`governor.fit`.
    exclude
        Files or folders to leave out of the search (a manifest or truth table kept beside
        the logs, say). ``out`` and its parts are always left out.
    progress
        Show a progress bar on stderr in a terminal or a notebook; where stderr is a file
        (a log, a scheduler's output), a plain line every 30 s and at the end instead.

    Returns
    -------
    pandas.DataFrame
        The results, with the columns in the module docstring (:data:`COLUMNS`), in the
        order of the sources (athlete rows last).

    Raises
    ------
    ValueError
        Invalid options, or no source matched a file.
    BatchError
        The batch cannot go on (output not writable, the cluster lost). Finished rows are
        kept in ``<out>.parts/``: rerun with ``resume=True``.

    Notes
    -----
    The local workers are started by a fork server, which imports the calling script as a
    module: a script that calls ``fit_many`` must do so under
    ``if __name__ == "__main__":`` (as with any multiprocessing pool). Notebooks need not.
    """
    if effort not in EFFORT_CHOICES:
        raise OptionError(f"{{effort}} must be one of {', '.join(EFFORT_CHOICES)}, "
                          f"got {_lit(repr(effort))}")
    if scheduler is not None and workers is not None:
        raise OptionError("{workers} sizes the local pool; a cluster's size is its own "
                          "(give {workers} or {scheduler}, not both)")
    if workers is not None and (not isinstance(workers, int) or workers < 0):
        raise OptionError(f"{{workers}} must be a whole number >= 0, got {_lit(repr(workers))}")
    if vary is not None:
        unknown = [v for v in vary if v not in Params.names()]
        if unknown:
            raise OptionError(f"{{vary}}: unknown parameter(s) {_lit(', '.join(unknown))}; the "
                              "names are those of governor.Params")
    options = Options(effort=effort, temperature_c=temperature_c,
                      params=params if params is not None else TRAINED,
                      vary=tuple(vary) if vary is not None else None, starts=starts, seed=seed)
    exclude = [*exclude] + ([] if out is None else [out, f"{out}.parts"])
    if isinstance(group_by, str | os.PathLike) and group_by != "folder":
        exclude.append(group_by)  # the manifest is not a log
    items, problems = discover(sources, exclude=exclude)
    if not items:
        raise OptionError("nothing to fit: " + _lit("; ".join(problems or ["no sources"])))
    jobs = plan(items, group_by=group_by)
    # every source given gets a row: one that matched nothing is an unreadable row
    jobs += [Job("log", _hash("unmatched", p.source), p.source, (),
                 extra={"unmatched": p.reason}) for p in problems]
    fingerprint = options.fingerprint()
    store = _Store(out, fingerprint, resume=resume, overwrite=overwrite, dry=True)
    client, own = _client(scheduler) if scheduler is not None else (None, False)
    try:
        store = _Store(out, fingerprint, resume=resume, overwrite=overwrite)
    except BaseException:
        if own:
            client.close()
        raise
    bar = _Progress(len(jobs), sum(store.done(j.key) for j in jobs), progress)
    try:
        if client is None:
            n = workers if workers is not None else available_cores()
            _run(jobs, options, store, lambda: _local_pool(n), max(2 * n, 1), bar)
        else:
            n = max(sum(client.nthreads().values()), 1)
            _run(jobs, options, store, lambda: client.get_executor(pure=False), 2 * n, bar)
    finally:
        bar.close()
        if own:
            client.close()
    return store.table([j.key for j in jobs])


def _client(scheduler):
    """A dask.distributed Client for ``scheduler`` and whether we made it (and close it)."""
    try:
        from distributed import Client
    except ImportError:
        raise OptionError("a Dask scheduler needs dask.distributed: "
                          "pip install 'governor[cluster]'") from None
    if isinstance(scheduler, Client):
        return scheduler, False
    if not isinstance(scheduler, str):
        raise OptionError(f"{{scheduler}} must be an address or a Client, not "
                          f"{type(scheduler).__name__}")
    try:
        return Client(scheduler, timeout="10s"), True
    except (OSError, TimeoutError) as exc:
        raise OptionError("cannot reach the Dask scheduler at "
                          + _lit(f"{scheduler}: {exc}")) from None


def summarise(table: pd.DataFrame, units: str = "metric") -> str:
    """A short text summary of a results table: counts by status, the fits, and each
    failure with its reason. Critical speed is shown as a pace, per km (``units="metric"``)
    or per mile (``"imperial"``); the table keeps m/s. Critical speed, D' and the margin
    are given with their 95 % intervals (``*_low``, ``*_high``), the heart-rate terms with
    their standard errors (and the others too, for a table without intervals)."""
    from governor.units import format_pace, pace_unit, unit_metres

    per = pace_unit(units)
    lines = []
    logs = table[table["level"] == "log"]
    counts = logs["status"].value_counts()
    lines.append(f"{len(logs)} log(s): " + ", ".join(
        f"{counts.get(s, 0)} {s}" for s in STATUSES if counts.get(s, 0)))
    ok = table[table["status"] == "ok"]
    if not ok.empty:
        heads = {"critical_speed_mps": f"CS pace [/{per}]", "d_prime_m": "D' [m]",
                 "reserve_margin": "margin", "heart_rate_at_cs_fraction": "HR at CS [of reserve]",
                 "heart_rate_tau_rise_s": "HR rise [s]"}
        cols = [c for c in heads if ok[c].notna().any()]
        view = pd.DataFrame({
            "log": [_short(r) for _, r in ok.iterrows()],
            "effort": ok["effort"],
            "RMSE [m/s]": ok["rmse_speed_mps"].map("{:.3f}".format),
            "best (AIC)": ok["best_model"],
        })
        def pace(v):
            return format_pace(v, per).split()[0]

        profiled = ("critical_speed_mps", "d_prime_m", "reserve_margin")
        for c in cols:
            rows = zip(ok[c], ok[f"{c}_stderr"], ok.get(f"{c}_low", ok[c] * math.nan),
                       ok.get(f"{c}_high", ok[c] * math.nan), strict=True)
            cells = []
            for v, e, lo, hi in rows:
                if math.isnan(v):
                    cells.append("")
                elif c in profiled and math.isfinite(lo) and math.isfinite(hi):
                    # the 95 % interval (the profile's, often lopsided), not +- an error
                    if c == "critical_speed_mps":  # the faster pace is the higher speed
                        cells.append(f"{pace(v)} ({pace(hi)}-{pace(lo)})")
                    else:
                        cells.append(f"{v:.3g} ({lo:.3g}-{hi:.3g})")
                elif c == "critical_speed_mps":  # its error by the delta method: d/v² · dv
                    cells.append(f"{pace(v)} ± {unit_metres(per) * e / v**2:.0f} s")
                else:
                    cells.append(f"{v:.3g} ± {e:.2g}")
            view[heads[c]] = cells
        lines.append(view.to_string(index=False))
        if any(c in profiled for c in cols):
            lines.append("CS pace, D' and margin: the fitted value (its 95 % interval); "
                         "heart-rate terms: value ± standard error")
    bad = table[~table["status"].isin(["ok"])]
    for _, row in bad.iterrows():
        lines.append(f"  {row['status']:<10} {_short(row)}: {row['error']}")
    return "\n".join(lines)


def _short(row) -> str:
    if row["level"] == "athlete":
        return f"{row['athlete']} (all {row['n_logs']} logs)"
    return os.path.basename(row["file"])
