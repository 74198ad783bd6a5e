"""Metrics on an :class:`~governor.io.activity.Activity`: grade-adjusted speed, moving time,
and the mean-maximal (grade-adjusted) speed curve used to start critical speed and D′."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..physiology.energetics import grade_adjusted_speed_mps

__all__ = ["grade_adjusted_speed", "moving_time_s", "mean_maximal_speed", "DEFAULT_DURATIONS_S"]

#: Durations of the mean-maximal curve [s]: 30 s to 2 h.
DEFAULT_DURATIONS_S: tuple[int, ...] = (
    30, 60, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200,
)


def grade_adjusted_speed(activity: pd.DataFrame) -> pd.Series:
    """Grade-adjusted speed [m/s]: the flat speed of equal metabolic cost (Minetti 2002).

    Parameters
    ----------
    activity : Activity
        Needs ``speed_mps`` [m/s] and ``grade`` [-]. Missing grade (no elevation, or
        standing still) counts as flat.

    Returns
    -------
    pandas.Series
        ``grade_adjusted_speed_mps`` on the activity's index.
    """
    grade = activity["grade"].fillna(0.0).to_numpy(dtype=float)
    speed = activity["speed_mps"].to_numpy(dtype=float)
    gas = np.asarray(grade_adjusted_speed_mps(speed, grade), dtype=float).reshape(-1)
    return pd.Series(gas, index=activity.index, name="grade_adjusted_speed_mps")


def _sample_interval_s(index: pd.DatetimeIndex) -> float:
    if len(index) < 2:
        return 1.0
    dt = np.diff(pd.DatetimeIndex(index).as_unit("ns").asi8) / 1e9
    dt = dt[dt > 0]
    return float(np.median(dt)) if len(dt) else 1.0


def moving_time_s(activity: pd.DataFrame) -> float:
    """Time spent moving [s]: pauses (pause records, standing still) excluded.

    Each interval between consecutive samples counts when its first sample is moving, up to
    the median sampling interval (a gap in recording is not moving time), so the moving time
    never exceeds the elapsed time.
    """
    if len(activity) < 2:
        return 0.0
    moving = activity["moving"].to_numpy(dtype=bool)
    dt = np.diff(activity.index.asi8) / 1e9
    dt = np.minimum(dt, _sample_interval_s(activity.index))
    return float(dt[moving[:-1]].sum())


def mean_maximal_speed(
    activity: pd.DataFrame,
    durations_s: Sequence[float] = DEFAULT_DURATIONS_S,
    *,
    grade_adjusted: bool = True,
) -> pd.Series:
    """Best average speed over each duration: the mean-maximal speed curve.

    Parameters
    ----------
    activity : Activity
        A cleaned (1 Hz) activity.
    durations_s : sequence of float
        Window lengths [s]; default 30 s to 2 h (:data:`DEFAULT_DURATIONS_S`).
    grade_adjusted : bool, default True
        Average the grade-adjusted speed (the input to the critical-speed fit) rather than
        the plain speed.

    Returns
    -------
    pandas.Series
        Best mean speed [m/s] indexed by ``duration_s``; NaN for durations longer than the
        longest session. Windows never span a gap between sessions; pauses inside a session
        count (at their speed, about zero), as they do on a stopwatch.
    """
    speed = (
        grade_adjusted_speed(activity).to_numpy()
        if grade_adjusted
        else activity["speed_mps"].to_numpy(dtype=float)
    )
    speed = np.nan_to_num(speed, nan=0.0)
    t = (
        pd.DatetimeIndex(activity.index).as_unit("ns").asi8 / 1e9
        if len(activity)
        else np.array([])
    )
    breaks = np.flatnonzero(np.diff(t) > 1.5) + 1 if len(t) else np.array([], dtype=int)
    pieces = np.split(speed, breaks) if len(speed) else []
    best = {}
    for duration in durations_s:
        n = int(round(duration))
        top = np.nan
        for piece in pieces:
            if n < 1 or len(piece) < n:
                continue
            c = np.r_[0.0, np.cumsum(piece)]
            m = float(np.max(c[n:] - c[:-n]) / n)
            top = m if np.isnan(top) else max(top, m)
        best[float(duration)] = top
    name = "mean_maximal_grade_adjusted_speed_mps" if grade_adjusted else "mean_maximal_speed_mps"
    out = pd.Series(best, name=name, dtype=float)
    out.index.name = "duration_s"
    return out
