"""``read_log``: any supported file in, a canonical :class:`Activity` out."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ._common import RawLog, normalise_sport
from ._source import choose_format, fspath, read_bytes
from .activity import COLUMNS, Activity, CleaningReport
from .clean import clean as clean_frame
from .clean import utc_ns_index
from .csv import read_csv
from .errors import CorruptFileError, LogError, NoTimestampsError
from .fit import read_fit
from .gpx import read_gpx
from .tcx import read_tcx

#: Sports whose cadence is counted in steps (devices record strides: doubled on reading).
FOOT_SPORTS = frozenset({"running", "walking", "hiking"})
#: At least this fraction of the points must carry a time, else NoTimestampsError.
MIN_TIMED_FRACTION = 0.5


def read_log(
    path: str | os.PathLike,
    *,
    sport: str | None = None,
    timezone: str | None = None,
    units: dict[str, str] | None = None,
    clean: bool = True,
) -> Activity:
    """Read a GPX, TCX, FIT or CSV log (optionally gzipped) into an :class:`Activity`.

    Parameters
    ----------
    path : str or os.PathLike
        The file. The format is recognised by content first, then by suffix.
    sport : str, optional
        Overrides the sport the file states (e.g. ``"running"``, ``"cycling"``).
    timezone : str, optional
        Time zone (IANA name such as ``"Europe/Paris"``) of naive timestamps in a CSV;
        recorded in ``attrs["timezone"]`` when the file does not state one.
    units : dict, optional
        Units of CSV columns where the name does not say and the data cannot tell, e.g.
        ``{"distance": "km", "pace": "min/mile", "speed": "km/h", "altitude": "ft"}``.
    clean : bool, default True
        If True, clean and resample to 1 Hz (see :mod:`governor.io.clean`). If False, return
        the raw table: the rows as recorded (unsorted, duplicates and rows without time kept),
        in SI units, with ``grade`` NaN and ``moving`` False only inside pause records.

    Returns
    -------
    Activity
        Indexed by UTC timestamp, with the columns of
        :data:`governor.io.activity.COLUMNS` and ``moving``; metadata in ``.attrs``.

    Raises
    ------
    LogError
        Or a subclass, for any file that cannot be read; its message names the file and the
        reason. No other exception leaves this function.
    """
    p = fspath(path)
    try:
        return _read(p, sport=sport, timezone=timezone, units=units, clean=clean)
    except LogError as exc:
        if exc.path is None:
            raise type(exc)(p, exc.reason) from None
        raise
    except MemoryError:
        raise LogError(p, "out of memory while reading") from None
    except RecursionError:
        raise CorruptFileError(p, "structure nested too deeply") from None
    except Exception as exc:  # the safety net: never let a parser's exception escape
        raise CorruptFileError(
            p, f"could not be read ({type(exc).__name__}: {exc})"
        ) from None


def _read(p, *, sport, timezone, units, clean) -> Activity:
    data, gzipped = read_bytes(p)
    fmt = choose_format(p, data)
    if fmt == "gpx":
        raw = read_gpx(p, data)
    elif fmt == "tcx":
        raw = read_tcx(p, data)
    elif fmt == "fit":
        raw = read_fit(p, data)
    else:
        raw = read_csv(p, data, units=units, timezone=timezone)
    del data
    report = CleaningReport(partial=raw.partial, notes=list(raw.notes))
    n = len(raw.frame)
    timed = int(raw.frame.index.notna().sum())
    if timed < 2 or timed < MIN_TIMED_FRACTION * n:
        raise NoTimestampsError(
            p, f"only {timed} of {n} track points have a time; a time series needs "
            f"at least {MIN_TIMED_FRACTION:.0%} of them"
        )
    if timed < n:
        report.note(f"{n - timed} of {n} points have no time and are dropped by cleaning")
    the_sport = normalise_sport(sport) if sport is not None else raw.sport
    frame = _to_si(raw, the_sport, report)
    if clean:
        frame, sessions, report = clean_frame(
            frame, pauses=raw.pauses, sport=the_sport, report=report
        )
    else:
        sessions = []
        t = frame.index.asi8
        moving = np.ones(len(frame), dtype=bool)
        for a, b in raw.pauses:
            moving &= ~((t >= a.value) & (t < b.value))
        frame = frame.assign(moving=moving)
    start = frame.index.min()
    frame["elapsed_s"] = (frame.index - start).total_seconds()
    activity = Activity(frame[list(COLUMNS) + ["moving"]])
    activity.attrs.update(
        source_file=str(p),
        format=raw.format + ("+gzip" if gzipped else ""),
        device=raw.device,
        sport=the_sport,
        sub_sport=raw.sub_sport,
        laps=raw.laps,
        timezone=raw.timezone or timezone,
        sessions=sessions,
        n_points=raw.n_points,
        report=report,
    )
    return activity


def _to_si(raw: RawLog, sport: str | None, report: CleaningReport) -> pd.DataFrame:
    """All canonical columns present, float; cadence in steps/min for foot sports."""
    frame = raw.frame.copy()
    frame.index = utc_ns_index(frame.index)
    for c in COLUMNS:
        if c not in frame:
            frame[c] = np.nan
    frame = frame[list(COLUMNS)].astype(float)
    cad = frame["cadence_spm"]
    if cad.notna().any():
        positive = cad[cad > 0]
        med = float(positive.median()) if len(positive) else np.nan
        if sport in FOOT_SPORTS and (
            raw.cadence_unit == "cycles" or (raw.cadence_unit is None and med < 120)
        ):
            frame["cadence_spm"] = cad * 2.0
            report.note("cadence recorded in strides/min: doubled to steps/min")
        elif sport is None and raw.cadence_unit != "steps":
            report.note("sport unknown: cadence left as recorded (strides or rpm)")
    return frame
