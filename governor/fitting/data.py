"""From a cleaned log to what the fitter compares: the moving part of the run on its own
course, the observed speed and heart rate with their noise, and the effort it holds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from governor.fitting.heart import heart_rate_artefacts
from governor.io.metrics import grade_adjusted_speed, mean_maximal_speed
from governor.scenario import Course, Environment, Race, Segment, Training

#: Efforts a log can hold.
EFFORTS = ("race", "intervals", "training")
#: Air temperature assumed when neither the user nor an air sensor gives one [degC].
DEFAULT_TEMPERATURE_C = 15.0
#: Length of the intent segments of a training log [s].
INTENT_SEGMENT_S = 10.0
#: Samples of a race this close to a stop are left out [s]: resampling interpolates them.
STOP_MARGIN_S = 3
#: Least noise of speed [m/s] and of heart rate [bpm] a log is given.
SPEED_SIGMA_FLOOR = 0.05
#: A race's first seconds whose speed is not scored [s]. From a standing start a runner is
#: at pace within a few seconds, and over those seconds the recorded speed is the device's
#: smoothing of the acceleration (a derivative over 5 s of positions averaged over 3 s, for
#: speed taken from positions), not the runner's speed: a sample there missed the model by
#: tens of noise levels and outweighed the rest of a 5 km race, so the fit bent critical
#: speed and D' to the start. The race's parameters act over minutes. 10 s covers the
#: acceleration and the smoothing; a judgement, not a measured constant.
RACE_START_UNSCORED_S = 10.0
HEART_RATE_SIGMA_FLOOR = 1.0


@dataclass
class LogData:
    """One log prepared for fitting: moving samples only, on a moving-time axis."""

    name: str
    effort: str
    effort_detected: bool
    time_s: np.ndarray            # moving time [s], starting at 0
    distance_m: np.ndarray        # distance along the course [m], starting at 0
    speed_mps: np.ndarray         # observed speed [m/s]; grade-adjusted for training logs
    observed_speed_mps: np.ndarray  # the log's own speed [m/s] (0 when stopped)
    grade: np.ndarray             # the log's grade [-] (0 where unknown)
    heart_rate_bpm: np.ndarray    # observed heart rate [bpm] (NaN where absent)
    speed_sigma: float            # noise of speed [m/s]: robust_noise, then fit's residuals
    heart_rate_sigma: float       # noise of heart rate [bpm]: likewise
    course: Course
    environment: Environment
    protocol: object
    notes: list[str] = field(default_factory=list)
    scored_from: int = 0          # first sample whose speed is scored (a race's start is not)
    speed_tau: float = 1.0        # samples one independent speed residual spans: fit's

    @property
    def speed_weight_sigma(self) -> float:
        """What a speed residual is divided by in the fit [m/s]: its noise times the
        square root of its autocorrelation time, so that each log's speed counts by its
        effective number of observations (samples / ``speed_tau``), not its samples."""
        return self.speed_sigma * math.sqrt(self.speed_tau)

    @property
    def has_heart_rate(self) -> bool:
        return int(np.isfinite(self.heart_rate_bpm).sum()) >= 60

    @property
    def maximal(self) -> bool:
        return self.effort in ("race", "intervals")

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1])


def robust_noise(values: np.ndarray, window: int = 31, floor: float = 0.0) -> float:
    """Noise of a signal [its unit]: 1.4826 x the median absolute deviation of the signal
    from its running median over ``window`` samples (robust to real changes of pace).

    A first estimate only: the running median follows noise that stays correlated over
    more than a few samples, so for autocorrelated noise (speed derived from smoothed GPS
    positions) it reads low, about half the true noise for a GPX file's speed.
    :func:`governor.fit` therefore refits with each log's noise taken from its own
    residuals (their root-mean-square) after a first fit weighted by this estimate."""
    x = pd.Series(values, dtype=float)
    trend = x.rolling(window, center=True, min_periods=window // 2).median()
    dev = (x - trend).abs().dropna()
    if dev.empty:
        return floor
    return max(float(1.4826 * dev.median()), floor)


#: Window over which :func:`detect_effort` reads speed [s]: distance covered over a centred
#: minute. A device's speed field is smoothed and speed from GPS positions is not; over a
#: minute the two agree, so the same run is the same effort as FIT, TCX or GPX (a 30-s
#: mean of the GPX speed crossed the repetition thresholds 9 times on a steady 14 km run,
#: of its FIT and TCX copies 2 times).
EFFORT_WINDOW_S = 60.0
#: Longest fast stretch :func:`detect_effort` counts as a repetition [s]: interval sessions
#: use repetitions of seconds to a few minutes (long intervals of 2-6 min, Buchheit &
#: Laursen 2013); 8 min leaves room for slower runners.
MAX_REPETITION_S = 480.0


def window_speed_mps(activity: pd.DataFrame, window_s: float) -> np.ndarray:
    """Speed [m/s] at each sample as the distance covered over a centred window of
    ``window_s`` seconds of elapsed time, from the ``distance_m`` and ``elapsed_s`` columns
    (NaN distances are bridged by interpolation)."""
    t = activity["elapsed_s"].to_numpy(dtype=float)
    d = activity["distance_m"].to_numpy(dtype=float)
    ok = np.isfinite(d)
    if ok.sum() < 2:
        return np.full(t.size, np.nan)
    d = np.interp(t, t[ok], d[ok])
    lo = np.searchsorted(t, t - 0.5 * window_s)
    hi = np.clip(np.searchsorted(t, t + 0.5 * window_s, side="right") - 1, 0, t.size - 1)
    span = t[hi] - t[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(span > 0.0, (d[hi] - d[lo]) / span, np.nan)


def detect_effort(activity: pd.DataFrame, heart_rate_max_bpm: float | None = None) -> str:
    """Guess the effort a log holds, from its speed (plain speed: grade adjustment of steep
    walking over-reads, and a guess should not hang on it).

    ``"intervals"``: the speed over a centred minute (:func:`window_speed_mps`, the same for
    a device's speed and for speed from GPS positions) rises above 115 % of its median while
    moving at least three times (falling back below 105 % in between), and the best 3 min is
    at least 20 % faster than the median (repetitions). ``"race"``: at least 8 min; the
    moving average is at least 90 % of the best 5 min (even); and, when the log has heart
    rate and ``heart_rate_max_bpm`` is given, its last quarter averages at least 88 % of that
    maximum (hard). Otherwise ``"training"``. Without heart rate a steady easy run looks
    like a race: give ``effort=`` to overrule.
    """
    moving = activity[activity["moving"]] if "moving" in activity else activity
    if len(moving) < 8 * 60:
        return "training"
    speed = window_speed_mps(moving, EFFORT_WINDOW_S)
    median = float(np.nanmedian(speed))
    # count repetitions with hysteresis: fast above 115 % of the median, slow again below
    # 105 %, so noise around one long fast stretch is not taken for repetitions; a fast
    # stretch longer than a repetition is a tempo or progression section, not a rep
    t = moving["elapsed_s"].to_numpy(dtype=float)
    rises, fast, start = 0, False, 0.0
    for ti, x in zip(t, speed, strict=True):
        if not fast and x > 1.15 * median:
            fast, start = True, ti
        elif fast and x < 1.05 * median:
            fast = False
            rises += ti - start <= MAX_REPETITION_S
    mms = mean_maximal_speed(moving, [180.0, 300.0], grade_adjusted=False)
    best3, best5 = float(mms.loc[180.0]), float(mms.loc[300.0])
    if rises >= 3 and np.isfinite(best3) and best3 >= 1.2 * median:
        return "intervals"
    if np.isfinite(best5) and float(np.nanmean(moving["speed_mps"])) >= 0.9 * best5:
        hr = moving["heart_rate_bpm"].to_numpy(dtype=float)
        last = hr[3 * len(hr) // 4:]
        if heart_rate_max_bpm is None or np.isfinite(last).sum() < 60:
            return "race"
        if float(np.nanmean(last)) >= 0.88 * heart_rate_max_bpm:
            return "race"
    return "training"


def prepare(activity: pd.DataFrame, *, effort: str | None = None,
            temperature_c: float | None = None, name: str | None = None,
            heart_rate_max_bpm: float | None = None) -> LogData:
    """Prepare one cleaned activity (from :func:`governor.read_log`) for fitting.

    A race keeps its moving samples and becomes a :class:`Race` over the log's distance on
    the log's course. A training run or interval session keeps its clock running through
    stops (heart rate falls while the runner stands), is compared in grade-adjusted speed on
    the flat, and becomes a :class:`Training`
    whose intent, the grade-adjusted pace of every 10 s, is taken from the log (nuisance
    parameters estimated in closed form).
    """
    if not isinstance(activity, pd.DataFrame) or "speed_mps" not in activity:
        raise ValueError("fit: expected an Activity from governor.read_log")
    name = name or str(activity.attrs.get("source_file", "log"))
    notes: list[str] = []
    missing = [c for c in ("distance_m", "elevation_m", "heart_rate_bpm", "grade", "moving")
               if c not in activity]
    if missing:
        activity = activity.assign(**{c: (True if c == "moving" else np.nan) for c in missing})
    detected = effort is None
    if effort is None:
        effort = detect_effort(activity, heart_rate_max_bpm)
        notes.append(f"effort detected as {effort!r} (effort= in Python, --effort on the "
                     "command line, overrules it)")
    if effort not in EFFORTS:
        raise ValueError(f"fit: effort must be one of {EFFORTS}, got {effort!r}")
    moving_mask = (activity["moving"].to_numpy(dtype=bool) if "moving" in activity
                   else np.ones(len(activity), dtype=bool))
    if effort == "race":
        # a race is compared along its distance: its moving samples only, without the
        # samples next to a stop (their speed is interpolated across the gap)
        stopped = ~moving_mask
        near_stop = stopped.copy()
        for shift in range(1, STOP_MARGIN_S + 1):
            near_stop[shift:] |= stopped[:-shift]
            near_stop[:-shift] |= stopped[shift:]
        keep = ~near_stop & np.isfinite(activity["speed_mps"].to_numpy(dtype=float))
        rows = activity[keep]
        speed = rows["speed_mps"].to_numpy(dtype=float)
    else:
        # heart rate keeps changing through a stop: keep the clock running, standing still
        rows = activity
        speed = np.where(moving_mask, rows["speed_mps"].to_numpy(dtype=float), 0.0)
        speed = np.nan_to_num(speed, nan=0.0)
    if int(moving_mask.sum()) < 120 or len(rows) < 120:
        raise ValueError(f"fit: {name} has under 2 minutes of moving data")
    dist = np.concatenate([[0.0], np.cumsum(speed[1:])])  # 1 Hz samples
    time = np.arange(len(rows), dtype=float)
    hr = rows["heart_rate_bpm"].to_numpy(dtype=float)
    observed_speed = speed.copy()
    grade = np.nan_to_num(rows["grade"].to_numpy(dtype=float), nan=0.0)
    if np.isfinite(hr).any():
        artefacts = heart_rate_artefacts(hr, speed) & np.isfinite(hr)
        if artefacts.any():
            hr = np.where(artefacts, np.nan, hr)
            notes.append(f"{int(artefacts.sum())} heart-rate samples set aside as sensor "
                         "artefacts (dropouts, spikes, a strap reading low)")
    elevation = rows["elevation_m"].to_numpy(dtype=float)
    if temperature_c is None:
        temperature_c = DEFAULT_TEMPERATURE_C
        notes.append(f"air temperature not given: {DEFAULT_TEMPERATURE_C:g} degC assumed "
                     "(watch sensors read skin-warmed air)")
    environment = Environment(float(temperature_c), 0.5)
    if effort == "race":
        course = Course.smoothed(dist, elevation)
        protocol = Race(float(dist[-1]), time_limit_s=float(3 * len(rows) + 600))
    else:
        # compared in flat-equivalent terms: the log's grades are in its grade-adjusted pace,
        # and the model runs that intent on the flat, so a model that drifts ahead or behind
        # the runner never meets the log's hills at the wrong moment
        course = Course()
        gas = np.nan_to_num(grade_adjusted_speed(rows).to_numpy(dtype=float), nan=0.0)
        gas = np.where(speed > 0.0, gas, 0.0)
        speed = gas
        dist = np.concatenate([[0.0], np.cumsum(speed[1:])])
        n = len(rows)
        edges = np.arange(0, n, int(INTENT_SEGMENT_S))
        segments = []
        for a in edges:
            b = min(a + int(INTENT_SEGMENT_S), n)
            if b - a < 1:
                continue
            target = float(np.clip(np.mean(gas[a:b]), 0.0, 12.0))
            segments.append(Segment(float(b - a), target_speed_mps=target))
        protocol = Training(tuple(segments))
    return LogData(
        name=name, effort=effort, effort_detected=detected, time_s=time, distance_m=dist,
        speed_mps=speed, observed_speed_mps=observed_speed, grade=grade, heart_rate_bpm=hr,
        speed_sigma=robust_noise(speed, floor=SPEED_SIGMA_FLOOR),
        heart_rate_sigma=(robust_noise(hr, floor=HEART_RATE_SIGMA_FLOOR)
                          if np.isfinite(hr).any() else math.nan),
        course=course, environment=environment, protocol=protocol, notes=notes,
        scored_from=(int(np.searchsorted(time, RACE_START_UNSCORED_S))
                     if effort == "race" else 0),
    )


def critical_speed_from_curve(durations_s: np.ndarray, speeds_mps: np.ndarray,
                              lo_s: float = 180.0, hi_s: float = 1800.0):
    """Critical speed [m/s] and D' [m] from a mean-maximal speed curve: the linear fit of
    distance = D' + CS t over durations between ``lo_s`` and ``hi_s`` (Smyth &
    Muniz-Pumares 2020 use training-log best efforts the same way). None if under three
    usable points."""
    d = np.asarray(durations_s, dtype=float)
    v = np.asarray(speeds_mps, dtype=float)
    ok = np.isfinite(v) & (d >= lo_s) & (d <= hi_s)
    if ok.sum() < 3:
        return None
    cs, d_prime = np.polyfit(d[ok], v[ok] * d[ok], 1)
    return float(cs), float(d_prime)
