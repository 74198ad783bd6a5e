"""Synthetic activities with a known answer, for the io tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

METRES_PER_DEGREE_LAT = 6_371_008.8 * np.pi / 180.0


def synthetic_run(
    duration_s: int = 1200,
    speed_mps: float = 3.0,
    *,
    start: str = "2024-05-01T08:00:00Z",
    heart_rate_bpm: float = 150.0,
    grade: float = 0.0,
) -> pd.DataFrame:
    """A 1 Hz run due north at constant speed, with elevation, heart rate and cadence."""
    t = np.arange(duration_s + 1, dtype=float)
    index = pd.DatetimeIndex(pd.Timestamp(start) + pd.to_timedelta(t, unit="s"), name="timestamp")
    distance = speed_mps * t
    frame = pd.DataFrame(
        {
            "elapsed_s": t,
            "distance_m": distance,
            "speed_mps": np.full_like(t, speed_mps),
            "latitude": 45.0 + distance / METRES_PER_DEGREE_LAT,
            "longitude": np.full_like(t, 7.0),
            "elevation_m": 200.0 + grade * distance,
            "grade": np.full_like(t, grade),
            "heart_rate_bpm": np.round(heart_rate_bpm + 10 * np.sin(t / 300.0)),
            "cadence_spm": np.full_like(t, 172.0),
            "power_w": np.full_like(t, 250.0),
            "temperature_c": np.full_like(t, 18.0),
        },
        index=index,
    )
    frame.attrs["sport"] = "running"
    return frame
