"""Heart rate in a fit: the sensor's artefacts, the model's heart rate along its trajectory,
and the plain first-order model every fit is compared with.

Speed does not depend on heart rate, so the heart-rate terms are fitted along the fitted
trajectory (:func:`fit_heart_rate`), each log's model heart rate computed from its saved
metabolic speed, core temperature and work done (:func:`governor.physiology.heart.
heart_rate_along_bpm`) with no new simulation.

Both models start from the log's first heart rate (an initial condition read from the log,
not a parameter) and are scored on the same samples: the log's heart rate with its
artefacts removed (:func:`heart_rate_artefacts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from governor._jit import jit
from governor.params import Params
from governor.physiology.heart import (
    HEART_RATE_TERMS,
    heart_rate_along_terms_bpm,
    heart_rate_terms,
)

#: Heart rates a sensor can report from a running human [bpm]; outside them, a dropout.
PLAUSIBLE_BPM = (30.0, 230.0)
#: A sample this far from the running median of its neighbours (:data:`SPIKE_WINDOW_S`) is a
#: spike [bpm]: the heart cannot leave its trend by this much and come back within seconds.
SPIKE_BPM = 25.0
SPIKE_WINDOW_S = 15
#: A step in heart rate of at least this much within :data:`STEP_WINDOW_S` while the speed
#: holds (within :data:`STEP_SPEED_FRACTION`) is a sensor gaining or losing contact, not the
#: heart [bpm]: at an unchanged running speed heart rate moves with a time constant of
#: 20-60 s, so 30 bpm in 15 s needs a change of effort. The readings on the low side of
#: such a step (back to the log's start or to the step that opened them) are the artefact:
#: a dry chest strap under-reads at the start of a run, a loose one mid-run.
STEP_BPM = 30.0
STEP_WINDOW_S = 15
STEP_SPEED_FRACTION = 0.25
#: The heart's own fast response at the onset of running (vagal withdrawal) lasts about
#: this long [s]; steps in it are not artefacts.
ONSET_S = 60
#: A stretch that reads low from the log's start must end within this time [s].
START_STRETCH_S = 600
#: Samples at each end of a log that start the models [s]: the first heart rate is the
#: median of the first readings.
START_SAMPLES = 5


def _events(flags: np.ndarray) -> list[tuple[int, int]]:
    """Runs of True in ``flags``: (first, last) index of each."""
    idx = np.flatnonzero(flags)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    firsts = np.concatenate([[idx[0]], idx[breaks + 1]])
    lasts = np.concatenate([idx[breaks], [idx[-1]]])
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))


def heart_rate_artefacts(heart_rate_bpm: np.ndarray, speed_mps: np.ndarray) -> np.ndarray:
    """Samples of a 1 Hz heart-rate series that are the sensor's, not the heart's (True).

    Three kinds: dropouts (outside :data:`PLAUSIBLE_BPM`); spikes (over :data:`SPIKE_BPM`
    from the running median of :data:`SPIKE_WINDOW_S` samples); and under-reading stretches,
    the low side of steps of :data:`STEP_BPM` within :data:`STEP_WINDOW_S` at a held running
    speed: from a step down to the next step up, or from the log's start to a step up in
    its first :data:`START_STRETCH_S` (a strap that reads low until it is wet). Steps in the
    first :data:`ONSET_S` are the heart's own onset response and are left alone.
    """
    import pandas as pd

    hr = np.asarray(heart_rate_bpm, dtype=float)
    v = np.nan_to_num(np.asarray(speed_mps, dtype=float), nan=0.0)
    n = hr.size
    bad = ~np.isfinite(hr) | (hr < PLAUSIBLE_BPM[0]) | (hr > PLAUSIBLE_BPM[1])
    clean = pd.Series(np.where(bad, np.nan, hr))
    med = clean.rolling(SPIKE_WINDOW_S, center=True, min_periods=3).median().to_numpy()
    with np.errstate(invalid="ignore"):
        bad |= np.abs(clean.to_numpy() - med) > SPIKE_BPM
    w = STEP_WINDOW_S
    if n <= 2 * w + ONSET_S:
        return bad
    s = pd.Series(np.where(bad, np.nan, hr)).rolling(3, center=True, min_periods=1).median()
    s = s.ffill().bfill().to_numpy()
    vm = pd.Series(v).rolling(w, min_periods=1).mean().to_numpy()  # mean of the w up to i
    i = np.arange(n - w)
    jump = s[i + w] - s[i]
    before, after = vm[i], vm[i + w]
    held = (before > 1.0) & (np.abs(after - before) <= STEP_SPEED_FRACTION * before)
    held &= i >= ONSET_S
    ups = _events((jump >= STEP_BPM) & held)
    downs = _events((jump <= -STEP_BPM) & held)
    low = np.zeros(n, dtype=bool)
    steps = sorted([(a, b, +1) for a, b in ups] + [(a, b, -1) for a, b in downs])
    opened = 0  # the start is open: a strap may read low from the first sample
    for first, last, sign in steps:
        if sign < 0:
            opened = last + w
        elif opened is not None:
            if opened > 0 or first <= START_STRETCH_S:
                low[opened:first + w // 2] = True
            opened = None
        else:
            opened = None
    return bad | low


@jit
def _plain(time_s, speed_mps, grade, hr0, a, b, c, drift_bpm_per_h, tau_s):
    out = np.empty(time_s.size)
    hr = hr0
    out[0] = hr
    for i in range(1, time_s.size):
        target = a + b * speed_mps[i] * (1.0 + c * grade[i]) + drift_bpm_per_h * time_s[i] / 3600
        hr = target + (hr - target) * math.exp(-(time_s[i] - time_s[i - 1]) / tau_s)
        out[i] = hr
    return out


#: The plain model's parameters: (name, unit, lower bound, upper bound, start).
PLAIN_PARAMS = (
    ("intercept_bpm", "bpm", 0.0, 250.0, 90.0),
    ("slope_bpm_per_mps", "bpm/(m/s)", 0.0, 80.0, 20.0),
    ("grade_factor", "-", -20.0, 50.0, 5.0),
    ("drift_bpm_per_h", "bpm/h", -50.0, 80.0, 5.0),
    ("tau_s", "s", 1.0, 600.0, 30.0),
)


def plain_heart_rate_bpm(time_s, speed_mps, grade, start_bpm, intercept_bpm,
                         slope_bpm_per_mps, grade_factor, drift_bpm_per_h, tau_s) -> np.ndarray:
    """The plain first-order model [bpm]: heart rate relaxes with one time constant toward
    ``a + b v (1 + c grade) + drift t``, driven by the observed speed [m/s] and grade [-]."""
    return _plain(np.ascontiguousarray(time_s, dtype=float),
                  np.ascontiguousarray(speed_mps, dtype=float),
                  np.ascontiguousarray(grade, dtype=float), float(start_bpm),
                  float(intercept_bpm), float(slope_bpm_per_mps), float(grade_factor),
                  float(drift_bpm_per_h), float(tau_s))


def start_bpm(heart_rate_bpm: np.ndarray) -> float:
    """The first heart rate of a log [bpm]: median of its first finite readings."""
    hr = np.asarray(heart_rate_bpm, dtype=float)
    ok = hr[np.isfinite(hr)]
    return float(np.median(ok[:START_SAMPLES])) if ok.size else math.nan


@dataclass
class HeartFit:
    """A heart-rate model fitted by least squares: its values, their errors and its misfit
    (heart-rate RMSE [bpm], SSR [bpm^2], number of samples, parameter count k, whether the
    least squares converged, and why not)."""

    values: dict
    stderr: dict
    rmse_bpm: float
    ssr: float
    n: int
    k: int
    converged: bool
    message: str
    residuals: list  # per log [bpm], on each log's clean samples
    # the least squares in the terms scaled to [0, 1] by their bounds (the governor's fit):
    u: np.ndarray | None = None        # the solution
    jac: np.ndarray | None = None      # its Jacobian of the weighted residuals
    blocks: list | None = None         # the weighted residuals, log by log
    lo: np.ndarray | None = None       # the bounds
    hi: np.ndarray | None = None


def fit_plain_heart_rate(logs) -> HeartFit:
    """The plain first-order model fitted to each log on its own (five parameters per log),
    on the same clean samples as the governor's heart rate."""
    lo = np.array([p[2] for p in PLAIN_PARAMS])
    hi = np.array([p[3] for p in PLAIN_PARAMS])
    x0 = np.array([p[4] for p in PLAIN_PARAMS])
    values, residuals, converged, messages = {}, [], True, []
    for log in logs:
        ok = np.isfinite(log.heart_rate_bpm)
        hr0 = start_bpm(log.heart_rate_bpm)

        def res(x, log=log, ok=ok, hr0=hr0):
            return (plain_heart_rate_bpm(log.time_s, log.observed_speed_mps, log.grade, hr0, *x)
                    - log.heart_rate_bpm)[ok]

        best = None
        for start in (x0, np.array([120.0, 10.0, 5.0, 5.0, 60.0])):
            r = least_squares(res, start, bounds=(lo, hi), x_scale=hi - lo)
            if best is None or r.cost < best.cost:
                best = r
        converged &= bool(best.status > 0)
        if best.status <= 0:
            messages.append(f"{log.name}: {best.message}")
        values[log.name] = dict(zip([p[0] for p in PLAIN_PARAMS], map(float, best.x),
                                    strict=True))
        residuals.append(best.fun)
    r = np.concatenate(residuals) if residuals else np.zeros(0)
    return HeartFit(values=values, stderr={}, rmse_bpm=float(np.sqrt(np.mean(r**2))),
                    ssr=float(np.sum(r**2)), n=int(r.size), k=len(PLAIN_PARAMS) * len(logs),
                    converged=converged, message="; ".join(messages) or "converged",
                    residuals=residuals)


class Trajectory:
    """One log's simulated trajectory, with how to read the model's heart rate at the log's
    samples: by distance for a race (model and runner finish at different times), by time
    otherwise."""

    def __init__(self, sim, log, by_distance: bool):
        def arr(x):
            return np.ascontiguousarray(x, dtype=float)
        self.t = arr(sim.time_s)
        self.e = arr(sim.column("metabolic_speed_mps"))
        self.core = arr(sim.column("core_temp_c"))
        self.work = arr(sim.column("work_h"))
        self.x_sim = arr(sim.column("distance_m")) if by_distance else self.t
        self.x_obs = log.distance_m if by_distance else log.time_s
        self.ok = np.isfinite(log.heart_rate_bpm)
        self.observed = log.heart_rate_bpm[self.ok]
        self.start = start_bpm(log.heart_rate_bpm)

    def heart_rate(self, params: Params) -> np.ndarray:
        """Model heart rate [bpm] at every sample of the log."""
        return self.heart_rate_of(heart_rate_terms(params))

    def heart_rate_of(self, terms: np.ndarray) -> np.ndarray:
        """:meth:`heart_rate` from a :data:`~governor.physiology.heart.HEART_RATE_TERMS`
        vector."""
        hr = heart_rate_along_terms_bpm(self.t, self.e, self.core, self.work, terms,
                                        self.start)
        return np.interp(self.x_obs, self.x_sim, hr)

    def residuals(self, params: Params) -> np.ndarray:
        """Model minus observed heart rate [bpm] at the clean samples."""
        return self.residuals_of(heart_rate_terms(params))

    def residuals_of(self, terms: np.ndarray) -> np.ndarray:
        return self.heart_rate_of(terms)[self.ok] - self.observed


def fit_heart_rate(base: Params, names, trajectories, sigmas,
                   refit: bool = False) -> tuple[Params, HeartFit]:
    """The heart-rate terms ``names`` fitted along saved trajectories (shared by the logs),
    each log's residuals divided by its heart-rate noise ``sigmas`` [bpm]. Returns the
    parameters and the fit, with the Jacobian and weighted residuals its errors come from.
    ``refit``: ``base`` holds a fit's values already (start there only)."""
    names = tuple(names)
    lo = np.array([Params.bounds(n)[0] for n in names])
    hi = np.array([Params.bounds(n)[1] for n in names])
    where = [HEART_RATE_TERMS.index(n) for n in names]
    given = heart_rate_terms(base)

    def terms_at(u):
        terms = given.copy()
        terms[where] = lo + np.clip(u, 0, 1) * (hi - lo)
        return terms

    def params_at(u):
        return base.replace(**dict(zip(names, map(float, terms_at(u)[where]), strict=True)))

    def blocks(u):
        terms = terms_at(u)
        return [tr.residuals_of(terms) / s for tr, s in zip(trajectories, sigmas, strict=True)]

    def fun(u):
        return np.concatenate(blocks(u))

    u_given = np.clip((given[where] - lo) / (hi - lo), 0, 1)
    # a second start from the middle of the ranges (the rise and fall time constants and the
    # two drifts trade off, and the given values can sit in the wrong valley), unless the
    # given values are already a fit's
    starts = [u_given] if refit else [u_given, np.full(len(names), 0.5)]
    best = None
    for u0 in starts:
        r = least_squares(fun, u0, bounds=(0.0, 1.0), x_scale="jac", diff_step=1e-4,
                          ftol=1e-4, xtol=1e-4)
        if best is None or r.cost < best.cost:
            best = r
    fitted = params_at(best.x)
    bl = blocks(best.x)
    jac = best.jac
    plain_res = [tr.residuals(fitted) for tr in trajectories]
    r = np.concatenate(plain_res) if plain_res else np.zeros(0)
    result = HeartFit(
        values={n: float(getattr(fitted, n)) for n in names},
        stderr={},
        rmse_bpm=float(np.sqrt(np.mean(r**2))) if r.size else math.nan,
        ssr=float(np.sum(r**2)), n=int(r.size), k=len(names),
        converged=bool(best.status > 0), message=str(best.message), residuals=plain_res,
        u=best.x, jac=jac, blocks=bl, lo=lo, hi=hi)
    return fitted, result
