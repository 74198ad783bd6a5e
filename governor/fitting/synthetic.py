"""Synthetic logs from known parameters, with realistic noise, for parameter recovery."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from governor.io import read_log, write_csv
from governor.io.samples import ar1_noise
from governor.params import Params
from governor.scenario import Course, Environment
from governor.simulate import simulate


def synthetic_log(params: Params, protocol, *, course: Course | None = None,
                  environment: Environment | None = None, speed_noise_mps: float = 0.15,
                  speed_noise_rho: float = 0.7, heart_rate_noise_bpm: float = 2.0,
                  pause_at_s: float | None = None, pause_s: float = 0.0, seed: int = 0,
                  start: str = "2026-01-05T08:00:00Z"):
    """A log of a simulated effort, as a watch would record it, read back as an Activity.

    The model runs ``protocol`` with ``params``; the log records its speed with
    autocorrelated noise (AR(1): ``speed_noise_mps``, lag-1 correlation
    ``speed_noise_rho``, as GPS speed errors are), its heart rate with white noise, its
    elevation, and optionally an auto-paused gap of ``pause_s`` at ``pause_at_s``. The file
    goes through :func:`governor.read_log` (written as CSV in a temporary folder), so the
    fitter sees exactly what it would see from a real log.

    Returns
    -------
    Activity
        With ``attrs["truth"]`` holding the parameters it was made from.
    """
    course = course if course is not None else Course()
    environment = environment if environment is not None else Environment()
    sim = simulate(params, protocol, course=course, environment=environment)
    rng = np.random.default_rng(seed)
    t_end = math.floor(sim.finish_time_s)
    t = np.arange(0.0, t_end + 1.0)
    tr = sim.trace
    speed = np.interp(t, tr.index, tr["speed_mps"])
    hr = np.interp(t, tr.index, tr["heart_rate_bpm"])
    dist_true = np.interp(t, tr.index, tr["distance_m"])
    noise = ar1_noise(rng, t.size, speed_noise_mps, speed_noise_rho, stationary_start=True)
    noisy = np.clip(speed + noise, 0.0, None)
    distance = np.concatenate([[0.0], np.cumsum(0.5 * (noisy[1:] + noisy[:-1]))])
    d_course = np.asarray(course.distance_m)
    z_course = np.asarray(course.elevation_m)
    elevation = np.interp(dist_true, d_course, z_course) + rng.normal(0.0, 0.2, t.size)
    clock = t.copy()
    if pause_at_s is not None and pause_s > 0:
        clock = np.where(t >= pause_at_s, t + pause_s, t)
    frame = pd.DataFrame(
        {
            "distance_m": np.round(distance, 2),
            "speed_mps": np.round(noisy, 3),
            "elevation_m": np.round(elevation, 2),
            "heart_rate_bpm": np.round(hr + rng.normal(0.0, heart_rate_noise_bpm, t.size)),
        },
        index=pd.Timestamp(start) + pd.to_timedelta(clock, unit="s"),
    )
    frame.index.name = "timestamp"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.csv"
        write_csv(frame, path)
        activity = read_log(path, sport="running")
    activity.attrs["source_file"] = f"synthetic {type(protocol).__name__}"
    activity.attrs["truth"] = params
    return activity
