"""Runner's units: pace from speed and back.

Scientists read speed in m/s; runners read pace, the time a kilometre or a mile takes.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["METRES_PER_MILE", "pace_s_per_km", "format_pace", "speed_from_pace_mps",
           "parse_duration_s",
           "format_duration"]

#: One international mile [m].
METRES_PER_MILE = 1609.344
_UNIT_M = {"km": 1000.0, "mile": METRES_PER_MILE}


def pace_s_per_km(speed_mps: float) -> float:
    """Pace [s/km] of a speed [m/s]; inf at or below zero speed."""
    return 1000.0 / speed_mps if speed_mps > 0 else math.inf


def speed_from_pace_mps(pace_s: float, per: str = "km") -> float:
    """Speed [m/s] of a pace [s per km, or per mile with ``per="mile"``]."""
    return _UNIT_M[per] / pace_s


def format_pace(speed_mps: float, per: str = "km") -> str:
    """A speed [m/s] as a runner's pace, ``"4:05 /km"`` (or ``/mile``); ``"-"`` when the
    runner is not moving."""
    if not (speed_mps > 0 and math.isfinite(speed_mps)):
        return "-"
    seconds = int(round(_UNIT_M[per] / speed_mps))
    m, s = divmod(seconds, 60)
    return f"{m}:{s:02d} /{per}"


def format_duration(seconds: float) -> str:
    """``h:mm:ss`` or ``m:ss`` for a duration in seconds."""
    s = int(round(float(seconds)))
    h, rem = divmod(s, 3600)
    m, sec = divmod(rem, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def parse_duration_s(text: str) -> float:
    """Seconds from a runner's time: ``"h:mm:ss"``, ``"m:ss"`` or plain seconds
    (``"41:30"`` is 2490 s, ``"1:32:10"`` 5530 s); fractions of a second allowed.

    Raises ValueError naming the text when it is not a time (minutes or seconds of 60 or
    more after the first field, negative or empty parts)."""
    raw = str(text).strip()
    parts = raw.split(":")
    try:
        if not raw or len(parts) > 3 or any(not p.strip() for p in parts):
            raise ValueError
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"{text!r} is not a time: give h:mm:ss, m:ss or seconds") from None
    if any(x < 0 or not math.isfinite(x) for x in numbers) or any(x >= 60 for x in numbers[1:]):
        raise ValueError(f"{text!r} is not a time: minutes and seconds run 0-59")
    seconds = 0.0
    for x in numbers:
        seconds = seconds * 60.0 + x
    return seconds


# ---- arrays and unit systems, for figures ------------------------------------------------
__all__ += ["UNIT_SYSTEMS", "pace_unit", "unit_metres", "pace_s"]

#: The unit systems a runner reads pace in: the distance unit of each.
UNIT_SYSTEMS = {"metric": "km", "imperial": "mile"}


def pace_unit(units: str = "metric") -> str:
    """The distance unit of a unit system: ``"km"`` (``"metric"``) or ``"mile"``
    (``"imperial"``). Raises ValueError for any other name."""
    if units not in UNIT_SYSTEMS:
        raise ValueError(f"units must be 'metric' or 'imperial', not {units!r}")
    return UNIT_SYSTEMS[units]


def unit_metres(per: str = "km") -> float:
    """Metres in one ``"km"`` or one ``"mile"``."""
    return _UNIT_M[per]


def pace_s(speed_mps, per: str = "km"):
    """Pace [s per km, or per mile with ``per="mile"``] of speeds [m/s], element by element
    (a number gives a number, an array an array): inf where the runner is not moving
    (speed zero or below), NaN where the speed is NaN."""
    v = np.asarray(speed_mps, dtype=float)
    moving = v > 0
    out = np.where(moving, _UNIT_M[per] / np.where(moving, v, 1.0), np.inf)
    out = np.where(np.isnan(v), np.nan, out)
    return float(out) if out.ndim == 0 else out
