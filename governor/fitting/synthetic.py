"""Synthetic logs from known parameters, with realistic noise, for parameter recovery."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from governor.fitting.data import DEFAULT_TEMPERATURE_C
from governor.io import read_log, write_csv, write_gpx, write_tcx
from governor.io.samples import ar1_noise
from governor.params import TRAINED, Params
from governor.scenario import Course, Environment, Race, Segment, Training
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


# ---- a population of runners ---------------------------------------------------------
#: Where the runners of :func:`write_population` are drawn from (uniformly) [their units]:
#: around :data:`governor.TRAINED`, inside each parameter's bounds.
POPULATION_RANGES = {
    "critical_speed_mps": (4.2, 5.4),
    "d_prime_m": (120.0, 320.0),
    "reserve_margin": (0.10, 0.45),
}
#: Length of the loop the population's logs are run around [m]: a circle, so that the
#: distance between its positions is the distance run.
POPULATION_LOOP_M = 2000.0
_POPULATION_ORIGIN = (51.5, -0.1)  # [deg]
_POPULATION_DAY = pd.Timestamp("2026-04-06 07:30:00", tz="UTC")
_EASY_RUN_S = (1500.0, 2400.0)  # duration of each runner's easy run, drawn between [s]


def population_course(length_m: float, hills_m: float = 4.0) -> Course:
    """The population's course: laps of :data:`POPULATION_LOOP_M`, over a hill of
    ``hills_m`` up and down from the mean each lap [m] (0: flat), long enough for
    ``length_m`` [m]."""
    d = np.arange(0.0, length_m + 2 * POPULATION_LOOP_M, 25.0)
    return Course.from_profile(d, hills_m * np.sin(2 * np.pi * d / POPULATION_LOOP_M))


def _loop_positions(distance_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude [deg] at each distance along the circular loop."""
    radius = POPULATION_LOOP_M / (2 * np.pi)
    phase = np.asarray(distance_m, dtype=float) / radius
    lat0, lon0 = _POPULATION_ORIGIN
    lat = lat0 + radius * np.sin(phase) / 111_195.0
    lon = lon0 + radius * (1 - np.cos(phase)) / (111_195.0 * math.cos(math.radians(lat0)))
    return lat, lon


def _recorded(activity, start: pd.Timestamp, *, heart_rate: bool = True) -> pd.DataFrame:
    """What a watch would store of a synthetic log: positions on the loop added, moved to
    ``start``, optionally without heart rate."""
    frame = pd.DataFrame(activity[["distance_m", "speed_mps", "elevation_m",
                                   "heart_rate_bpm"]]).copy()
    frame.index = start + (frame.index - frame.index[0])
    frame.index.name = "timestamp"
    lat, lon = _loop_positions(frame["distance_m"].to_numpy())
    frame["latitude"], frame["longitude"] = np.round(lat, 8), np.round(lon, 8)
    if not heart_rate:
        frame["heart_rate_bpm"] = np.nan
    frame.attrs["sport"] = "running"
    return frame


def _write(frame: pd.DataFrame, path: Path, *, sport: str = "running") -> None:
    if path.suffix == ".gpx":
        write_gpx(frame, path, sport=sport)
    elif path.suffix == ".tcx":
        write_tcx(frame, path, sport=sport)
    else:
        write_csv(frame, path)


def write_population(folder: str | os.PathLike, n_runners: int = 8, *, seed: int = 0,
                     temperature_c: float = DEFAULT_TEMPERATURE_C, hills_m: float = 4.0,
                     bad_files: bool = True) -> pd.DataFrame:
    """Write a folder of logs of a population of simulated runners, and their truth.

    Each runner is :data:`governor.TRAINED` with critical speed, D' and the governor's
    reserve margin drawn uniformly from :data:`POPULATION_RANGES` (seeded). Each gets a
    folder, named after the runner (``runner-01``, ...), of logs made with
    :func:`synthetic_log` (GPS-like speed noise, heart-rate noise) on
    :func:`population_course`, as a watch would write them, in turn GPX, TCX and CSV:

    * two races of different lengths (3 or 5 km, and 10 km), or for every third runner one
      5 km race only;
    * an easy run (steady at RPE 3, 25-40 min).

    With ``bad_files``, five runners' folders (fewer with fewer runners) also get one file
    each that a batch cannot fit, as real folders do: a GPX export broken off after 2 % of
    its bytes (unreadable), a spreadsheet that is not an activity (unreadable), a bike ride
    (skipped), a 90 s warm-up (skipped: too short), and a 6 min jog without heart rate,
    which holds nothing the model can identify (its fit fails).

    Every log is run at ``temperature_c`` and 50 % humidity, what the fitter assumes unless
    told otherwise (the files hold no air temperature). The truth is written to
    ``folder/truth.csv`` (beside the runners' folders, so fit those, not ``folder``).

    Parameters
    ----------
    folder
        Where to write (created if needed).
    n_runners
        How many runners.
    seed
        Seeds the runners' parameters and every log's noise: the same seed writes the
        same files.
    temperature_c
        Air temperature of every log [degC].
    hills_m
        Height of the loop's hill above (and dip below) its mean [m]; 0 for a flat loop.
    bad_files
        Also write the files a batch cannot fit.

    Returns
    -------
    pandas.DataFrame
        One row per runner, indexed by ``athlete`` (the folder's name), with the value of
        every parameter of :class:`~governor.params.Params` the runner was simulated with
        (``Params(**row)`` rebuilds the runner).
    """
    if int(n_runners) < 1:
        raise ValueError(f"write_population: n_runners must be at least 1, got {n_runners!r}")
    root = Path(folder)
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    environment = Environment(temperature_c=float(temperature_c), relative_humidity=0.5)
    formats = (".gpx", ".tcx", ".csv")
    truth: dict[str, Params] = {}
    easy_runs: dict[str, tuple[pd.DataFrame, pd.Timestamp]] = {}
    for i in range(int(n_runners)):
        athlete = f"runner-{i + 1:02d}"
        draws = {name: float(rng.uniform(lo, hi)) for name, (lo, hi) in
                 POPULATION_RANGES.items()}
        runner = TRAINED.replace(**draws)
        truth[athlete] = runner
        races = [5000.0] if i % 3 == 2 else [3000.0 if i % 2 == 0 else 5000.0, 10000.0]
        easy_s = float(np.round(rng.uniform(*_EASY_RUN_S), -1))
        protocols = [Race(d) for d in races] + [Training.steady(easy_s, target_rpe=3.0)]
        names = [f"race-{d / 1000:g}km" for d in races] + ["easy-run"]
        out = root / athlete
        out.mkdir(exist_ok=True)
        for k, (protocol, name) in enumerate(zip(protocols, names, strict=True)):
            length = protocol.distance_m if isinstance(protocol, Race) else 5.5 * easy_s
            log = synthetic_log(runner, protocol, course=population_course(length, hills_m),
                                environment=environment,
                                seed=int(rng.integers(2**31)))
            start = _POPULATION_DAY + pd.Timedelta(days=3 * k, hours=i % 4)
            frame = _recorded(log, start)
            _write(frame, out / f"{start:%Y-%m-%d}-{name}{formats[(i + k) % 3]}")
            if name == "easy-run":
                easy_runs[athlete] = (frame, start)
    if bad_files:
        _write_bad_files(root, easy_runs)
    table = pd.DataFrame([{"athlete": a, **{n: getattr(p, n) for n in Params.names()}}
                          for a, p in truth.items()]).set_index("athlete")
    table.to_csv(root / "truth.csv")
    return table


def _write_bad_files(root: Path, easy_runs: dict) -> None:
    """One file per runner, for the first five runners, that a batch cannot fit."""
    athletes = list(easy_runs)
    day = pd.Timedelta(days=1)

    def broken_export(folder: Path, frame, start) -> None:
        path = folder / f"{start - day:%Y-%m-%d}-run-export.gpx"
        _write(frame, path)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 50])

    def spreadsheet(folder: Path, frame, start) -> None:
        (folder / "shoe-mileage.csv").write_text("shoe,km\nroad trainer,612\nracer,148\n")

    def bike_ride(folder: Path, frame, start) -> None:
        ride = frame.copy()
        ride["distance_m"] = 2.6 * ride["distance_m"]
        ride["speed_mps"] = 2.6 * ride["speed_mps"]
        ride["latitude"], ride["longitude"] = _loop_positions(ride["distance_m"].to_numpy())
        ride.index = ride.index - day
        _write(ride, folder / f"{start - day:%Y-%m-%d}-commute-ride.tcx", sport="cycling")

    def warm_up(folder: Path, frame, start) -> None:
        _write(frame.iloc[:90], folder / f"{start:%Y-%m-%d}-warm-up.csv")

    def jog_without_heart_rate(folder: Path, frame, start) -> None:
        jog = frame.iloc[:360].copy()
        jog["heart_rate_bpm"] = np.nan
        jog.index = jog.index + day
        _write(jog, folder / f"{start + day:%Y-%m-%d}-jog-no-heart-rate.csv")

    makers = (broken_export, spreadsheet, bike_ride, warm_up, jog_without_heart_rate)
    for athlete, make in zip(athletes, makers, strict=False):
        frame, start = easy_runs[athlete]
        make(root / athlete, frame, start)


# ---- races made with noise the fitter does not assume -----------------------------------
#: Runner's own speed fluctuation about the model's pace at 1 Hz, AR(1) [m/s] and lag-1
#: correlation: surges, turns and gusts, a few per cent of race pace (the 1 Hz speed of
#: steady running varies by 2-3 %, ~0.12 m/s at 4.8 m/s) with a correlation time of ~9 s,
#: (1 + rho) / (1 - rho) samples.
RACE_SPEED_NOISE_MPS = 0.12
RACE_SPEED_NOISE_RHO = 0.8
#: GPS position error of each horizontal coordinate, AR(1) at 1 Hz [m] and lag-1
#: correlation: a consumer receiver in open sky wanders by metres over tens of seconds,
#: not independently from fix to fix.
GPS_JITTER_M = 1.0
GPS_JITTER_RHO = 0.95
#: Largest error of a device's distance calibration [-]: each log's recorded distance is
#: the true one times ``1 + e``, ``e`` drawn uniformly in +-2 % (issue 12; GPS watches and
#: foot pods are typically within 1-3 % on a measured course).
DISTANCE_ERROR = 0.02


def noisy_race_log(params: Params, distance_m: float, *, seed: int = 0,
                   course: Course | None = None, environment: Environment | None = None,
                   speed_noise_mps: float = RACE_SPEED_NOISE_MPS,
                   speed_noise_rho: float = RACE_SPEED_NOISE_RHO,
                   gps_jitter_m: float = GPS_JITTER_M, gps_jitter_rho: float = GPS_JITTER_RHO,
                   distance_error: float = DISTANCE_ERROR,
                   start: str = "2026-01-05T08:00:00Z"):
    """A race log made with noise the fitter does not assume, read back as an Activity.

    Independent of :func:`synthetic_log` (which writes the speed the fitter compares): the
    model runs ``Race(distance_m)`` on ``course`` (default: :func:`population_course`) in
    ``environment`` (default: what the fitter assumes without a temperature, 15 degC and
    50 % humidity);
    the runner's real speed is the model's plus AR(1) noise (``speed_noise_mps``,
    ``speed_noise_rho``), integrated to where the runner is; the watch places that point on
    the circular loop of :data:`POPULATION_LOOP_M` at ``1 + e`` times the distance run (a
    calibration error, ``e`` uniform in +-``distance_error``, one per log) and adds AR(1)
    position errors (``gps_jitter_m`` per coordinate, ``gps_jitter_rho``). Only time,
    position and barometric elevation (0.2 m white noise) are written, as GPX with no
    heart rate, so :func:`governor.read_log` computes distance and speed from the
    positions as it would for a real watch's file. Elapsed time is exact.

    Returns
    -------
    Activity
        With ``attrs["truth"]`` the parameters it was made from and
        ``attrs["distance_scale"]`` the ``1 + e`` of its distance.
    """
    rng = np.random.default_rng(seed)
    course = course if course is not None else population_course(distance_m)
    if environment is None:
        environment = Environment(DEFAULT_TEMPERATURE_C, 0.5)
    sim = simulate(params, Race(float(distance_m)), course=course, environment=environment)
    tr = sim.trace
    t = np.arange(0.0, math.floor(sim.finish_time_s) + 1.0)
    speed = np.interp(t, tr.index, tr["speed_mps"])
    noise = ar1_noise(rng, t.size, speed_noise_mps, speed_noise_rho, stationary_start=True)
    actual = np.clip(speed + noise, 0.0, None)
    run = np.concatenate([[0.0], np.cumsum(0.5 * (actual[1:] + actual[:-1]))])
    scale = 1.0 + float(rng.uniform(-distance_error, distance_error))
    lat, lon = _loop_positions(scale * run)
    lat0 = _POPULATION_ORIGIN[0]
    north = ar1_noise(rng, t.size, gps_jitter_m, gps_jitter_rho, stationary_start=True)
    east = ar1_noise(rng, t.size, gps_jitter_m, gps_jitter_rho, stationary_start=True)
    lat = lat + north / 111_195.0
    lon = lon + east / (111_195.0 * math.cos(math.radians(lat0)))
    elevation = (np.interp(run, np.asarray(course.distance_m), np.asarray(course.elevation_m))
                 + rng.normal(0.0, 0.2, t.size))
    frame = pd.DataFrame({"latitude": lat, "longitude": lon, "elevation_m": elevation},
                         index=pd.Timestamp(start) + pd.to_timedelta(t, unit="s"))
    frame.index.name = "timestamp"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "race.gpx"
        write_gpx(frame, path, sport="running")
        activity = read_log(path, sport="running")
    activity.attrs["source_file"] = f"noisy race {distance_m / 1000:g} km (seed {seed})"
    activity.attrs["truth"] = params
    activity.attrs["distance_scale"] = scale
    return activity


def draw_runner(rng: np.random.Generator) -> Params:
    """A runner around :data:`governor.TRAINED`: critical speed, D' and the reserve margin
    drawn uniformly from :data:`POPULATION_RANGES`."""
    return TRAINED.replace(**{name: float(rng.uniform(lo, hi))
                              for name, (lo, hi) in POPULATION_RANGES.items()})


def against_truth(results: pd.DataFrame, truth: pd.DataFrame,
                  parameters=("critical_speed_mps", "d_prime_m", "reserve_margin")
                  ) -> pd.DataFrame:
    """Fitted values beside the truth, for a batch of logs whose truth is known.

    Parameters
    ----------
    results
        A results table of :func:`governor.fit_many` (``group_by="folder"`` on the folders
        of :func:`write_population`, so that each row's ``athlete`` is a runner).
    truth
        The runners' true parameters, indexed by athlete (what :func:`write_population`
        returns).
    parameters
        The parameters to compare.

    Returns
    -------
    pandas.DataFrame
        One row per fitted value (rows with status ``ok`` of a known athlete, parameters the
        row fitted): ``level``, ``athlete``, ``log`` (the file's name, or ``"joint"``),
        ``effort``, ``parameter``, ``fitted``, ``stderr``, ``truth`` [the parameter's
        unit], ``error`` (fitted - truth) and ``z`` (error / stderr: an honest standard
        error puts most within +-2).
    """
    rows = []
    ok = results[(results["status"] == "ok") & results["athlete"].isin(truth.index)]
    for _, row in ok.iterrows():
        log = "joint" if row["level"] == "athlete" else Path(str(row["file"])).name
        for name in parameters:
            fitted = float(row[name])
            if not math.isfinite(fitted):
                continue
            stderr = float(row[f"{name}_stderr"])
            true = float(truth.loc[row["athlete"], name])
            rows.append({"level": row["level"], "athlete": row["athlete"], "log": log,
                         "effort": row["effort"], "parameter": name, "fitted": fitted,
                         "stderr": stderr, "truth": true, "error": fitted - true,
                         "z": (fitted - true) / stderr if stderr > 0 else math.nan})
    columns = ["level", "athlete", "log", "effort", "parameter", "fitted", "stderr", "truth",
               "error", "z"]
    return pd.DataFrame(rows, columns=columns)


# ---- a runner's season ---------------------------------------------------------------
def runner_season(params: Params, *, seed: int = 0) -> list[dict]:
    """A simulated runner's season of logs, as a profile would meet them: easy runs in cool
    and in warm air, an interval session, a long run, a 5 km and a half-marathon race, each
    with heart rate and recorded by :func:`synthetic_log`.

    Returns
    -------
    list of dict
        One per log, in date order: ``activity``, ``effort`` and ``temperature_c`` [degC].
    """
    cs = params.critical_speed_mps
    plan = [
        ("easy run, cool", "training", 8.0,
         Training((Segment(2400.0, target_speed_mps=0.75 * cs),))),
        ("intervals 6 x 800 m", "intervals", 10.0,
         Training((Segment(600.0, target_speed_mps=0.7 * cs),)
                  + (Segment(800.0 / (1.08 * cs), target_speed_mps=1.08 * cs),
                     Segment(120.0, target_speed_mps=0.5 * cs)) * 6
                  + (Segment(480.0, target_speed_mps=0.7 * cs),))),
        ("easy run, warm", "training", 26.0,
         Training((Segment(2400.0, target_speed_mps=0.75 * cs),))),
        ("long run", "training", 12.0,
         Training((Segment(6000.0, target_speed_mps=0.70 * cs),))),
        ("5 km race", "race", 12.0, Race(5000.0)),
        ("half marathon", "race", 10.0, Race(21097.5)),
    ]
    out = []
    day = pd.Timestamp("2026-03-02T07:00:00Z")
    for i, (label, effort, temp, protocol) in enumerate(plan):
        activity = synthetic_log(params, protocol, environment=Environment(temp, 0.5),
                                 seed=seed * 100 + i,
                                 start=(day + pd.Timedelta(days=7 * i)).isoformat())
        activity.attrs["source_file"] = f"{label} ({temp:g} degC)"
        out.append({"activity": activity, "effort": effort, "temperature_c": temp})
    return out
