"""Sample training logs of our own, made by simulating the model.

Five sessions of the trained runner, laid on a real-looking loop with GPS noise, barometric
noise, heart rate with sensor noise, a stop at a crossing and an auto-paused gap, written as
GPX, TCX and CSV. They are the default input of the demo and the notebooks and carry no
personal data. Everything is seeded, and values are rounded as devices round them, so
:func:`make_sample_logs` regenerates the files byte for byte (``python data/make_samples.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from governor.params import TRAINED
from governor.scenario import Course, Environment, Race, Segment, Training
from governor.simulate import simulate

from .writers import write_csv, write_gpx, write_tcx

#: Start of the loop (a park, 52 deg N) [deg] and the day the sessions start from.
ORIGIN_LAT, ORIGIN_LON = 52.0, 5.0
FIRST_DAY = pd.Timestamp("2026-03-02 07:00:00", tz="UTC")
#: Length of the loop the sessions run around [m]; its elevation rolls by +-6 m.
LOOP_M = 2400.0
#: Error of a watch's GPS position, north and east each [m], and its correlation from one
#: 1-s fix to the next [-]. A few metres of error in the open is what consumer receivers
#: give; most of it comes from errors that change slowly (atmospheric delays, satellite
#: orbit and clock, multipath off the same trees and buildings), and the receiver's tracking
#: filter carries each fix into the next, so the error wanders over minutes (a correlation
#: time of 300 s here) rather than jumping from second to second. The change of error from
#: one fix to the next is then sigma * sqrt(2 (1 - rho)) = 0.2 m per second on each axis,
#: the order of the velocity error of a Doppler-aided receiver. Track distance summed from
#: such fixes is within a few tenths of a per cent of the true distance; rho 0.95 (0.8 m/s
#: from fix to fix) zigzags and made the sample runs up to 2 % long.
GPS_SIGMA_M = 2.5
GPS_RHO = math.exp(-1.0 / 300.0)


@dataclass(frozen=True)
class SampleSession:
    """One sample session: the simulated protocol and conditions, and what the device adds."""

    name: str
    protocol: object
    temperature_c: float
    stop_at_s: float | None = None      # a stationary stop (runner waits, watch records)
    stop_s: float = 0.0
    gap_at_s: float | None = None       # an auto-paused gap (watch records nothing)
    gap_s: float = 0.0


def sessions() -> list[SampleSession]:
    """The five sample sessions."""
    cs = TRAINED.critical_speed_mps
    return [
        SampleSession("easy-run", Training.steady(2700.0, target_rpe=3.0), 14.0,
                      stop_at_s=1300.0, stop_s=90.0),
        SampleSession("tempo-run", Training((Segment(600.0, target_rpe=2.5),
                                            Segment(1200.0, target_speed_mps=0.92 * cs),
                                            Segment(600.0, target_rpe=2.5))), 12.0,
                      gap_at_s=1900.0, gap_s=120.0),
        SampleSession("intervals-5x3min", Training.intervals(5, 180.0, 90.0,
                                                             work_speed_mps=1.08 * cs,
                                                             warmup_s=900.0, cooldown_s=600.0),
                      10.0),
        SampleSession("race-10k", Race(10000.0), 12.0),
        SampleSession("race-10k-hot", Race(10000.0), 29.0),
    ]


def _loop_course(total_m: float) -> Course:
    d = np.arange(0.0, total_m + LOOP_M, 50.0)
    z = 6.0 * np.sin(2 * np.pi * d / LOOP_M) + 2.0 * np.sin(6 * np.pi * d / LOOP_M)
    return Course.from_profile(d, z)


#: The loop's oval: semi-axes in the ratio 13:7, scaled so that its perimeter is LOOP_M.
_OVAL_PHASE = np.linspace(0.0, 2 * np.pi, 20001)
_OVAL_ARC = np.concatenate([[0.0], np.cumsum(np.hypot(
    np.diff(1.3 * (1 - np.cos(_OVAL_PHASE))), np.diff(0.7 * np.sin(_OVAL_PHASE))))])
_OVAL_SCALE_M = LOOP_M / _OVAL_ARC[-1]


def _loop_position(distance_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude [deg] along an oval loop of LOOP_M metres, placed by arc
    length: the ground covered between two positions is the course distance between them
    (an ellipse placed by its angle runs 1.3 times the course distance on its flanks and
    0.7 times at its ends, and is 2.3 % longer in all)."""
    phase = np.interp(np.asarray(distance_m) % LOOP_M, _OVAL_ARC * _OVAL_SCALE_M, _OVAL_PHASE)
    north = 0.7 * _OVAL_SCALE_M * np.sin(phase)
    east = 1.3 * _OVAL_SCALE_M * (1 - np.cos(phase))
    lat = ORIGIN_LAT + north / 111_195.0
    lon = ORIGIN_LON + east / (111_195.0 * math.cos(math.radians(ORIGIN_LAT)))
    return lat, lon


def ar1_noise(rng: np.random.Generator, n: int, sigma: float, rho: float, *,
              stationary_start: bool = False) -> np.ndarray:
    """``n`` samples of AR(1) noise with standard deviation ``sigma`` and lag-1 correlation
    ``rho``, as GPS errors are. The series starts at 0, or (``stationary_start``) at a draw
    from its stationary distribution, taken after the shocks."""
    shocks = rng.normal(0.0, sigma * math.sqrt(1 - rho * rho), n)
    x = rng.normal(0.0, sigma) if stationary_start else 0.0
    out = np.empty(n)
    for i in range(n):
        x = rho * x + shocks[i]
        out[i] = x
    return out


def session_log(session: SampleSession, index: int, seed: int = 2026) -> pd.DataFrame:
    """Simulate one session and turn it into what a GPS watch would record (1 Hz)."""
    rng = np.random.default_rng(seed + index)
    distance_hint = 12000.0 if isinstance(session.protocol, Race) else 14000.0
    sim = simulate(TRAINED, session.protocol, course=_loop_course(distance_hint),
                   environment=Environment(session.temperature_c, 0.6))
    tr = sim.trace
    t = np.arange(0.0, math.floor(sim.finish_time_s) + 1.0)
    dist = np.interp(t, tr.index, tr["distance_m"])
    hr = np.interp(t, tr.index, tr["heart_rate_bpm"])
    speed = np.interp(t, tr.index, tr["speed_mps"])
    elev = np.interp(dist, *_profile(distance_hint))
    # a stop: the runner stands still, the watch keeps recording, heart rate falls
    if session.stop_at_s is not None:
        k = int(session.stop_at_s)
        n = int(session.stop_s)
        t = np.concatenate([t[:k], t[k] + np.arange(n), t[k:] + n])
        dist = np.concatenate([dist[:k], np.full(n, dist[k]), dist[k:]])
        hr_stop = hr[k] - (hr[k] - 95.0) * (1 - np.exp(-np.arange(n) / 30.0))
        hr = np.concatenate([hr[:k], hr_stop, hr[k:]])
        speed = np.concatenate([speed[:k], np.zeros(n), speed[k:]])
        elev = np.concatenate([elev[:k], np.full(n, elev[k]), elev[k:]])
    # an auto-pause: the watch stops recording for a while
    keep = np.ones(t.size, dtype=bool)
    if session.gap_at_s is not None:
        k = int(session.gap_at_s)
        t = np.where(np.arange(t.size) >= k, t + session.gap_s, t)
    lat, lon = _loop_position(dist)
    north_err = ar1_noise(rng, t.size, GPS_SIGMA_M, GPS_RHO, stationary_start=True)
    east_err = ar1_noise(rng, t.size, GPS_SIGMA_M, GPS_RHO, stationary_start=True)
    lat = lat + north_err / 111_195.0
    lon = lon + east_err / (111_195.0 * math.cos(math.radians(ORIGIN_LAT)))
    elev = elev + ar1_noise(rng, t.size, 0.4, 0.98)
    hr = hr + rng.normal(0.0, 1.5, t.size)
    cadence = np.where(speed > 0.5, 150.0 + 6.0 * speed + rng.normal(0, 1.5, t.size), 0.0)
    start = FIRST_DAY + pd.Timedelta(days=2 * index)
    frame = pd.DataFrame(
        {
            "latitude": np.round(lat, 7),
            "longitude": np.round(lon, 7),
            "elevation_m": np.round(elev, 1),
            "distance_m": np.round(dist, 1),
            "heart_rate_bpm": np.round(hr),
            "cadence_spm": 2 * np.round(cadence / 2),
            "temperature_c": np.full(t.size, session.temperature_c),
        },
        index=start + pd.to_timedelta(t, unit="s"),
    )[keep]
    frame.index.name = "timestamp"
    frame.attrs["sport"] = "running"
    return frame


def _profile(total_m: float) -> tuple[np.ndarray, np.ndarray]:
    course = _loop_course(total_m)
    return np.asarray(course.distance_m), np.asarray(course.elevation_m)


def make_sample_logs(out_dir: str | Path) -> list[Path]:
    """Write every sample session as GPX, TCX and CSV into ``out_dir``; returns the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for i, session in enumerate(sessions()):
        frame = session_log(session, i)
        for suffix, writer in ((".gpx", write_gpx), (".tcx", write_tcx), (".csv", write_csv)):
            path = out / f"governor-sample-{session.name}{suffix}"
            if writer is write_csv:
                writer(frame, path)
            else:
                writer(frame, path, sport="running")
            written.append(path)
    return written


__all__ = ["make_sample_logs", "sessions", "session_log", "SampleSession", "ar1_noise"]
