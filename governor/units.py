"""Runner's units: pace from speed and back.

Scientists read speed in m/s; runners read pace, the time a kilometre or a mile takes.
"""

from __future__ import annotations

import math

__all__ = ["METRES_PER_MILE", "pace_s_per_km", "format_pace", "speed_from_pace_mps",
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
