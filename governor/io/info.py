"""``governor info FILE...``: a summary of each log and its cleaning report."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import LogError
from .metrics import moving_time_s
from .read import read_log

__all__ = ["describe", "main"]


def describe(activity: pd.DataFrame) -> dict:
    """Summary values of an activity.

    Returns
    -------
    dict
        ``sport``, ``device``, ``start`` (UTC Timestamp), ``timezone``, ``duration_s`` [s]
        (first to last record), ``moving_time_s`` [s], ``distance_m`` [m],
        ``mean_pace_s_per_km`` [s/km] (moving time over distance),
        ``mean_speed_mps`` [m/s] (likewise), ``mean_heart_rate_bpm`` [1/min] (while moving),
        ``elevation_gain_m`` [m] (sum of rises of the smoothed elevation), ``n_rows``.
    """
    attrs = activity.attrs
    n = len(activity)
    start = activity.index.min() if n else None
    duration = (activity.index.max() - start).total_seconds() if n else 0.0
    moving = moving_time_s(activity)
    dist = activity["distance_m"]
    distance = float(dist.max() - dist.min()) if dist.notna().any() else math.nan
    speed = distance / moving if moving > 0 and distance > 0 else math.nan
    pace = 1000.0 / speed if speed > 0 else math.nan
    hr = activity["heart_rate_bpm"][activity["moving"].astype(bool)]
    mean_hr = float(hr.mean()) if hr.notna().any() else math.nan
    elev = activity["elevation_m"].to_numpy(dtype=float)
    rises = np.diff(elev[np.isfinite(elev)])
    gain = float(rises[rises > 0].sum()) if rises.size else math.nan
    return {
        "sport": attrs.get("sport"),
        "device": attrs.get("device"),
        "start": start,
        "timezone": attrs.get("timezone"),
        "duration_s": duration,
        "moving_time_s": moving,
        "distance_m": distance,
        "mean_speed_mps": speed,
        "mean_pace_s_per_km": pace,
        "mean_heart_rate_bpm": mean_hr,
        "elevation_gain_m": gain,
        "n_rows": n,
    }


def _clock(seconds: float) -> str:
    if not np.isfinite(seconds):
        return "-"
    s = int(round(seconds))
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _format(path: str, activity: pd.DataFrame) -> str:
    d = describe(activity)
    pace = d["mean_pace_s_per_km"]
    pace_text = (
        f"{int(pace // 60)}:{int(round(pace % 60)):02d} /km" if np.isfinite(pace) else "-"
    )
    start = d["start"]
    if start is not None and d["timezone"]:
        try:
            local = start.tz_convert(d["timezone"].replace("UTC", "") or "UTC")
            start_text = f"{start:%Y-%m-%d %H:%M:%S} UTC ({local:%H:%M} local)"
        except (ValueError, TypeError, KeyError):
            start_text = f"{start:%Y-%m-%d %H:%M:%S} UTC"
    else:
        start_text = f"{start:%Y-%m-%d %H:%M:%S} UTC" if start is not None else "-"

    def num(value, fmt, unit):
        return f"{value:{fmt}} {unit}" if np.isfinite(value) else "-"

    lines = [
        path,
        f"  format       {activity.attrs.get('format')}",
        f"  sport        {d['sport'] or 'not stated'}",
        f"  device       {d['device'] or '-'}",
        f"  start        {start_text}",
        f"  duration     {_clock(d['duration_s'])}",
        f"  moving time  {_clock(d['moving_time_s'])}",
        f"  distance     {num(d['distance_m'] / 1000.0, '.2f', 'km')}",
        f"  mean pace    {pace_text}",
        f"  mean HR      {num(d['mean_heart_rate_bpm'], '.0f', 'bpm')}",
        f"  elev. gain   {num(d['elevation_gain_m'], '.0f', 'm')}",
    ]
    report = activity.attrs.get("report")
    if report is not None:
        lines += ["  " + line for line in str(report).splitlines()]
    return "\n".join(lines)


def main(paths: Sequence[str]) -> int:
    """Print a summary of each file; return 0 if all were read, 1 if any failed."""
    status = 0
    for i, path in enumerate(paths):
        if i:
            print()
        try:
            activity = read_log(path)
        except LogError as exc:
            print(f"{path}\n  ERROR ({type(exc).__name__}): {exc.reason}")
            status = 1
            continue
        print(_format(path, activity))
    sys.stdout.flush()
    return status
