"""Fitting the model to logs: one log or an athlete's many, with honest uncertainty.

The model is simulated on each log's own course and conditions, and its speed (and heart
rate, where present) compared with the log's, each residual divided by that signal's noise.
Parameters vary inside their :class:`~governor.params.Params` bounds, in a space scaled to
those bounds, with :func:`scipy.optimize.least_squares` from several seeded starts.

Which parameters a log can inform (the identifiability classes of ``Params``,
``docs/model.md``):
heart-rate kinetics from any log with heart rate; critical speed, D' and the governor's
reserve margin only from races (an interval session is run as its own intent, so its pace
cannot inform them). Everything else stays at the values given (the athlete's, or a named
set's).
"""

from __future__ import annotations

import contextvars
import copy
import math
import os
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from governor.fitting.data import (
    HEART_RATE_SIGMA_FLOOR,
    SPEED_SIGMA_FLOOR,
    LogData,
    critical_speed_from_curve,
    prepare,
)
from governor.fitting.heart import HeartFit, Trajectory, fit_heart_rate, fit_plain_heart_rate
from governor.io.metrics import mean_maximal_speed
from governor.params import TRAINED, Params
from governor.scenario import Course, Modifiers, Race
from governor.simulate import Simulation, simulate

HEART_PARAMS = ("heart_rate_baseline_bpm", "heart_rate_at_cs_fraction", "heart_rate_tau_rise_s",
                "heart_rate_tau_fall_s", "heart_rate_drift_bpm_per_c",
                "heart_rate_drift_bpm_per_work_h")
RESERVE_PARAMS = ("critical_speed_mps", "d_prime_m")
GOVERNOR_PARAMS = ("reserve_margin",)
#: Correlation above which two parameters are reported as too correlated to separate.
CORRELATION_WARNING = 0.95
#: A parameter within this fraction of its range from a bound is reported at the bound.
BOUND_WARNING = 0.005
#: Finite-difference step of the least-squares Jacobian, in the parameters scaled to [0, 1]
#: by their bounds: 2 % of each range. The simulated misfit is rough at smaller scales: as
#: simulated speed changes (the end spurt's start, the thermal plan's steps) cross the
#: log's 1 s samples, it changes in steps, ~1 % of its value over 0.03 % of the range of
#: CS on a hilly 10 km, and along the valley where D' and the reserve margin trade off the
#: steps are as large as the valley's slope over 0.5 % of the margin's range. A step below
#: that reads the steps as the slope and the search stalls where it started: at 0.3 %, on
#: joint 10 km + marathon fits of simulated runners, the margin stayed within 0.03 of its
#: start and its 95 % intervals held the truth in 13 of 40 fits; at 2 % the search reaches
#: misfits lower by 70-150 (of ~6000) and the intervals hold it in 22 of 24
#: (``benchmarks/bench_coverage.py``). At 5 % the slope blurs over the bounds' region.
DIFF_STEP = 0.02


def default_vary(logs: Sequence[LogData]) -> tuple[str, ...]:
    """The parameters these logs can inform (see the module docstring)."""
    names: list[str] = []
    if any(log.effort == "race" for log in logs):
        names += RESERVE_PARAMS + GOVERNOR_PARAMS
    if any(log.has_heart_rate for log in logs):
        names += HEART_PARAMS
        if not any(log.effort in ("training", "intervals") for log in logs):
            # a race hardly lets heart rate fall: its fall time constant is not informed
            names.remove("heart_rate_tau_fall_s")
    return tuple(names)


# ---- the model on a log --------------------------------------------------------------
def simulate_log(params: Params, log: LogData, *, governor: bool = True,
                 dt: float = 1.0) -> Simulation:
    """Simulate the model on a log's course, conditions and protocol (time step ``dt``
    [s])."""
    return simulate(params, log.protocol, course=log.course, environment=log.environment,
                    modifiers=Modifiers(governor=governor), dt=dt)


def predicted(params: Params, log: LogData, *, governor: bool = True, heart: bool = True,
              dt: float = 1.0):
    """Model speed [m/s] and heart rate [bpm] at the log's samples: by distance for a race
    (the two finish at different times), by moving time otherwise. Heart rate starts from
    the log's first reading (:class:`~governor.fitting.heart.Trajectory`); None with
    ``heart=False``."""
    sim = simulate_log(params, log, governor=governor, dt=dt)
    race = isinstance(log.protocol, Race)
    v = predicted_speed(sim, log)
    if not heart:
        hr = None
    elif log.has_heart_rate:
        hr = Trajectory(sim, log, by_distance=race).heart_rate(params)
    elif race:
        hr = np.interp(log.distance_m, sim.column("distance_m"), sim.column("heart_rate_bpm"))
    else:
        hr = np.interp(log.time_s, sim.time_s, sim.column("heart_rate_bpm"))
    return v, hr, sim


def log_residuals(params: Params, log: LogData, *, governor: bool = True,
                  heart: bool = True, dt: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Weighted residuals of speed and of heart rate (finite samples only), the model
    simulated at time step ``dt`` [s]."""
    v, hr, _ = predicted(params, log, governor=governor, heart=heart, dt=dt)
    r_v = ((v - log.speed_mps) / log.speed_weight_sigma)[log.scored_from:]
    if heart and log.has_heart_rate:
        ok = np.isfinite(log.heart_rate_bpm)
        r_hr = (hr[ok] - log.heart_rate_bpm[ok]) / log.heart_rate_sigma
    else:
        r_hr = np.zeros(0)
    return r_v, r_hr


#: The progress bar of the fit running in this context (``fit(progress=True)``), or None.
_PROGRESS: contextvars.ContextVar = contextvars.ContextVar("governor_fit_progress",
                                                           default=None)


def _interactive(stream) -> bool:
    """Whether a progress bar can redraw itself on ``stream``: a terminal, or a notebook
    (elsewhere, a log file, it would write a line at every redraw)."""
    try:
        if stream.isatty():
            return True
    except (AttributeError, ValueError):
        return False
    return "ipykernel" in sys.modules


def _stage(text: str) -> None:
    """Name the stage the fit is in on its progress bar (if it shows one)."""
    bar = _PROGRESS.get()
    if bar is not None:
        bar.set_description_str(f"fit: {text}")


class _Problem:
    """Residuals as a function of the varied parameters, scaled to [0, 1] by their bounds.

    With ``scale_taus`` (one per log; None for a log without), each race's distance
    calibration error ``e`` is a nuisance parameter too: the scaled vector ends with one
    entry per such log, ``e`` spanning +-:data:`SCALE_RANGE`; its log is read as recorded
    divided by ``1 + e`` (:func:`rescaled_log`), and a prior row
    ``sqrt(tau) e / DISTANCE_SCALE_SD`` ends the residuals, so that the prior counts
    against the data as ``tau`` of their weighted samples do: ``tau`` is how many samples
    one independent residual of the log spans, 1 once the residuals are divided by
    :attr:`~governor.fitting.data.LogData.speed_weight_sigma`, as :func:`fit` does.

    Why fit it: a device that reads distance ``1 + e`` times the truth records a race run
    by a runner ``1 + e`` times as fast in the same time. The error is one number per log,
    common to all its samples, so the residuals' noise never shows it; in a joint fit of
    races of different lengths two such errors pull critical speed and D' apart, by more
    than the noise allows (D' moves by about 60 m per 1 % between a 5 km and a half
    marathon). Added to the covariance at the fitted point only (by the delta method), the
    errors' effect was linear about a fit they had already moved along the valley where
    D' and the margin trade off: on 40 simulated runners a 10 km with a marathon ended, in
    its worst fits, at three to four times the true D' and half the margin, and the margin's
    intervals held the truth in 30 of 40. Fitted, the error goes where the data and the
    prior put it, and the fit with it."""

    def __init__(self, base: Params, names: Sequence[str], logs: Sequence[LogData],
                 governor: bool = True, heart: bool = True, dt: float = 1.0,
                 scale_taus: Sequence[float | None] | None = None):
        self.base = base
        self.dt = dt
        self.names = tuple(names)
        self.logs = list(logs)
        self.governor = governor
        self.heart = heart
        self.lo = np.array([Params.bounds(n)[0] for n in self.names])
        self.hi = np.array([Params.bounds(n)[1] for n in self.names])
        self.scaled = ([i for i, t in enumerate(scale_taus)
                        if t is not None and isinstance(self.logs[i].protocol, Race)]
                       if scale_taus is not None else [])
        self.prior_taus = np.array([float(scale_taus[i]) for i in self.scaled])
        self.evaluations = 0
        #: Independent refits (the search's refinements, the profile's ends) and
        #: finite-difference columns run on this many threads at once (:func:`_each`).
        self.threads = 1
        self._cache: list[dict] = [{} for _ in self.logs]
        self._lock = threading.Lock()  # the cache and the count, evaluated from threads

    def fork(self) -> _Problem:
        """A copy to be evaluated apart (in another thread): the same logs and terms,
        the residuals kept so far copied, its own count of simulations from zero."""
        other = copy.copy(self)
        with self._lock:
            other._cache = [dict(c) for c in self._cache]
        other._lock = threading.Lock()
        other.evaluations = 0
        return other

    @property
    def lo_all(self) -> np.ndarray:
        """Lower bounds of the whole scaled vector [the parameters' units; -]."""
        return np.concatenate([self.lo, np.full(len(self.scaled), -SCALE_RANGE)])

    @property
    def hi_all(self) -> np.ndarray:
        """Upper bounds of the whole scaled vector."""
        return np.concatenate([self.hi, np.full(len(self.scaled), SCALE_RANGE)])

    def params(self, u: np.ndarray) -> Params:
        k = len(self.names)
        values = self.lo + np.clip(u[:k], 0.0, 1.0) * (self.hi - self.lo)
        changes = dict(zip(self.names, map(float, values), strict=True))
        if "critical_speed_mps" in changes:
            cs = changes["critical_speed_mps"]
            vmax = self.base.v_max_mps
            if vmax <= cs + 0.5:
                changes["v_max_mps"] = min(cs + 0.5, Params.bounds("v_max_mps")[1])
        return self.base.replace(**changes)

    def scale_errors(self, u: np.ndarray) -> np.ndarray:
        """The nuisance distance errors ``e`` of the scaled logs at ``u`` [-]."""
        k = len(self.names)
        return SCALE_RANGE * (2.0 * np.clip(np.asarray(u[k:], dtype=float), 0.0, 1.0) - 1.0)

    def to_u(self, params: Params) -> np.ndarray:
        """The scaled vector of ``params``, each distance calibration error at 0."""
        x = np.array([getattr(params, n) for n in self.names])
        return np.concatenate([np.clip((x - self.lo) / (self.hi - self.lo), 0.0, 1.0),
                               np.full(len(self.scaled), 0.5)])

    def _read(self, i: int, e: float) -> LogData:
        """Log ``i`` as read with distance calibration error ``e``: its distances divided
        by ``1 + e``."""
        return rescaled_log(self.logs[i], 1.0 / (1.0 + float(e)))

    def logs_at(self, u: np.ndarray) -> list[LogData]:
        """The logs as read at ``u`` (each scaled race at its calibration error)."""
        out = list(self.logs)
        for i, e in zip(self.scaled, self.scale_errors(u), strict=True):
            out[i] = self._read(i, e)
        return out

    def prior(self, u: np.ndarray) -> np.ndarray:
        """The prior rows of the nuisance distance errors."""
        return np.sqrt(self.prior_taus) * self.scale_errors(u) / DISTANCE_SCALE_SD

    def blocks(self, u: np.ndarray) -> list[np.ndarray]:
        """The data's residual blocks: speed and heart rate of each log, in turn.

        A log is simulated again only if what it depends on changed: the model's terms,
        the time step and its own distance calibration (of the problem's attributes only
        ``dt`` may change after it is made). Each log keeps its last few
        results, so a finite-difference column of one race's calibration costs one
        simulation, not one of every log (in a joint fit of six races this saves more
        than half of the simulations of the profile intervals and of the interval
        slopes)."""
        k = len(self.names)
        terms = (self.dt, *np.clip(np.asarray(u[:k], dtype=float), 0.0, 1.0).tolist())
        errors = dict(zip(self.scaled, self.scale_errors(u).tolist(), strict=True))
        p = None
        out: list[np.ndarray] = []
        ran = 0
        try:
            for i, log in enumerate(self.logs):
                key = (*terms, errors.get(i, 0.0))
                cache = self._cache[i]
                with self._lock:
                    hit = cache.pop(key, None)
                if hit is None:
                    if p is None:
                        p = self.params(u)
                    if i in errors:
                        log = self._read(i, errors[i])
                    ran += 1  # counted if it raises too
                    hit = log_residuals(p, log, governor=self.governor, heart=self.heart,
                                        dt=self.dt)
                with self._lock:
                    while len(cache) >= 2 * k + 4:  # more than a central-difference Jacobian's
                        cache.pop(next(iter(cache)))
                    cache[key] = hit  # the most recent last
                out += list(hit)
        finally:
            with self._lock:
                self.evaluations += ran
            bar = _PROGRESS.get()
            if bar is not None and ran:
                bar.update(ran)
        return out

    def __call__(self, u: np.ndarray) -> np.ndarray:
        r = np.concatenate(self.blocks(u) + [self.prior(u)])
        return np.where(np.isfinite(r), r, 1e3)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _each(problem: _Problem, work, items: Sequence) -> list:
    """``work(fork, item)`` for each item, each on its own :meth:`_Problem.fork` of
    ``problem``, up to ``problem.threads`` at once; the results in the items' order, and
    the forks' simulations added to ``problem``'s count.

    The compiled integration releases the GIL, so two refits on two cores take about the
    time of one (the residuals' Python around it is about a fifth of a simulation). Each
    fork starts from the same copy of the residuals kept so far, so neither the results nor
    the forks' count of simulations depend on the number of threads. An exception of ``work``
    is raised once the others have ended."""
    items = list(items)
    forks = [problem.fork() for _ in items]
    try:
        if problem.threads <= 1 or len(items) <= 1:
            return [work(f, item) for f, item in zip(forks, items, strict=True)]
        for f in forks:  # the threads are taken here: each fork's own work runs in turn
            f.threads = 1
        with ThreadPoolExecutor(min(problem.threads, len(items))) as pool:
            # each task in its own copy of the context: the progress bar's variable with it
            futures = [pool.submit(contextvars.copy_context().run, work, f, item)
                       for f, item in zip(forks, items, strict=True)]
            return [future.result() for future in futures]
    finally:
        problem.evaluations += sum(f.evaluations for f in forks)


@contextmanager
def _differences(problem: _Problem):
    """Keyword arguments for :func:`scipy.optimize.least_squares` on ``problem``: its
    finite-difference columns evaluated ``problem.threads`` at once (scipy's
    ``workers``, a map over a thread pool; each column in its own copy of the context).
    Nothing with one thread. The columns, and so the fit, are the same; the count of
    simulations can differ by the few a column finds kept by another."""
    if problem.threads <= 1:
        yield {}
        return
    with ThreadPoolExecutor(problem.threads) as pool:
        def workers(fun, points):
            return list(pool.map(lambda x: contextvars.copy_context().run(fun, x), points))

        yield {"workers": workers}


def _autocorrelation_time(r: np.ndarray, max_lag: int = 300) -> float:
    """Integrated autocorrelation time of a residual series [samples]:
    ``1 + 2 sum_k rho_k``, summed while the autocorrelation stays positive (Geyer's initial
    positive sequence). 1 for white residuals."""
    n = r.size
    if n < 10:
        return 1.0
    x = r - r.mean()
    var = float(np.dot(x, x))
    if var <= 0:
        return 1.0
    spectrum = np.fft.rfft(x, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[: min(max_lag, n - 1) + 1] / var
    tau = 1.0
    for k in range(1, acf.size):
        if acf[k] <= 0:
            break
        tau += 2.0 * acf[k]
    return tau


# ---- uncertainty -----------------------------------------------------------------------
#: Largest finite-difference step of the interval Jacobian, in the scaled parameters (a
#: fifth of each range): beyond it the slope describes the bounds, not the fit.
INTERVAL_STEP_MAX = 0.2
#: Rounds of :func:`_interval_jacobian` (steps set to the errors they give, and again).
INTERVAL_ROUNDS = 4
#: Standard deviation of a log's distance calibration error [-]. A GPS watch or foot pod
#: records distance to within about +-2 % on a measured course (consumer GPS watches in
#: open terrain measure within 1-3 %; the fitter's intervals are meant to stay honest for
#: a per-log error of that size); read as an error anywhere in +-2 %, its standard
#: deviation is 2 %/sqrt(3).
DISTANCE_SCALE_SD = 0.02 / math.sqrt(3.0)
#: Bounds of a race's fitted distance calibration error, +-[-]: over four standard
#: deviations of :data:`DISTANCE_SCALE_SD`, so that the prior, not the bound, holds it.
SCALE_RANGE = 0.05


def _sandwich(jac: np.ndarray, blocks: Sequence[np.ndarray], taus: Sequence[float],
              n_params: int, prior_taus: Sequence[float] = ()) -> np.ndarray:
    """Sandwich covariance of the scaled parameters: ``B M B`` with ``B = (J'J)^-1`` and
    ``M`` the sum over residual blocks (a log's speed, a log's heart rate) of
    ``mean(r^2) tau J_b' J_b``, each block with its own variance and autocorrelation time
    ``tau``; times ``n / (n - k)``. The rows after the blocks are the nuisance distance
    errors' prior rows (:class:`_Problem`), one per entry of ``prior_taus``: a prior row
    ``sqrt(tau) e / sd`` has the variance ``tau`` whatever ``e`` came out as, so its meat
    is ``tau J_p' J_p`` (with the data's ``tau`` the covariance is then that of the data's
    effective observations and the prior together)."""
    bread = np.linalg.pinv(jac.T @ jac)
    meat = np.zeros_like(bread)
    row = 0
    n_obs = 0
    for b, t in zip(blocks, taus, strict=True):
        if b.size:
            jb = jac[row:row + b.size]
            meat += (float(np.mean(b**2)) * t) * (jb.T @ jb)
        row += b.size
        n_obs += b.size
    for t in prior_taus:
        jp = jac[row:row + 1]
        meat += float(t) * (jp.T @ jp)
        row += 1
    return bread @ meat @ bread * n_obs / max(n_obs - n_params, 1)


def _central_jacobian(problem: _Problem, u: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """Jacobian of the residuals at ``u`` by central differences of ``steps`` (scaled
    parameters), made one-sided where a step would cross a bound."""
    def column(fork: _Problem, j: int) -> np.ndarray:
        lo, hi = u.copy(), u.copy()
        lo[j], hi[j] = max(u[j] - steps[j], 0.0), min(u[j] + steps[j], 1.0)
        return (fork(hi) - fork(lo)) / max(hi[j] - lo[j], 1e-12)

    return np.column_stack(_each(problem, column, range(len(steps))))


def _interval_jacobian(problem: _Problem, u: np.ndarray, jac: np.ndarray,
                       blocks: Sequence[np.ndarray], taus: Sequence[float],
                       blind: np.ndarray, prior_taus: Sequence[float] = ()) -> np.ndarray:
    """The Jacobian the covariance is built from: slopes of the residuals taken over steps
    as large as the standard errors they give.

    The simulated misfit is not smooth at the scale of the search's step
    (:data:`DIFF_STEP`): with 1 s integration steps, events such as the start of the end
    spurt move by whole samples, and the residuals change in steps. A slope taken over
    0.3 % of a range reads those steps as slope, and along the valley where critical speed,
    D' and the reserve margin trade off (one race run by a larger D' held back by a larger
    margin) it breaks the near-collinearity of the columns: the errors of D' came out at
    1-5 m on one 5 km race whose D' was off by tens of metres. A standard error is a claim
    about the misfit over +-1 standard error; the slope that claim rests on is the secant
    over that span (a local version of the profile-likelihood interval, which reads the
    misfit where it has risen by one unit). So the columns are recomputed by central
    differences with each parameter's step set to its standard error (at least
    :data:`DIFF_STEP`, at most :data:`INTERVAL_STEP_MAX`), and again, for
    :data:`INTERVAL_ROUNDS` rounds or until the steps settle within 20 % (the search's
    own Jacobian only gives the first steps). Costs per round two evaluations of every
    log for each of the model's terms, and two of its own log for each race's
    calibration (:meth:`_Problem.blocks` keeps the other logs' residuals).
    """
    steps = None
    for _ in range(INTERVAL_ROUNDS):
        cov = _sandwich(jac, blocks, taus, u.size, prior_taus)
        err = np.sqrt(np.clip(np.diag(cov), 0.0, None))
        new = np.clip(np.where(np.isfinite(err) & ~blind, err, DIFF_STEP), DIFF_STEP,
                      INTERVAL_STEP_MAX)
        if steps is not None and np.allclose(new, steps, rtol=0.2, atol=0.0):
            break
        steps = new
        jac = _central_jacobian(problem, u, steps)
        jac[:, blind] = 0.0
    return jac


#: The chi-square (1 degree of freedom) quantile of the reported 95 % intervals, and the
#: normal quantile it is the square of.
CHI2_95 = 3.841458820694124
Z_95 = math.sqrt(CHI2_95)
#: Profile points per end of an interval (each a refit of the other parameters).
PROFILE_STEPS = 4
#: A profile point whose rise is within this fraction of the target ends the search.
PROFILE_ACCEPT = 0.15
#: Evaluations each profile point's refit may take, per free parameter (+1).
PROFILE_NFEV = 6
#: Tolerance of a profile point's refit, as a fraction of the interval's rise: scipy's
#: ``ftol`` (and, at the same value, ``xtol`` and ``gtol``) is set so that the refit stops
#: when a step lowers the misfit by less than this share of the rise, and never looser
#: than 1e-3 of the misfit. A tolerance of 1e-3 of the misfit itself, 5-13 % of the rise
#: in a 5 km with a half marathon, let refits that crawl along the valley stop short of
#: its floor, so the profile read the misfit high and the interval narrow. A fixed 1e-4
#: (about 1 % of the rise there) made two of seven critical-speed intervals that had
#: missed the truth in that design hold it; a larger evaluation budget instead changed
#: none. With this setting that design's critical speed was held in 35 of 40 fits, from
#: 33 (``benchmarks/bench_coverage.py``, seed 7).
PROFILE_TOL = 0.01


def _profile_misfit(problem: _Problem, start: np.ndarray, j: int, uj: float,
                    tol: float) -> tuple[float, np.ndarray]:
    """The misfit with parameter ``j`` held at ``uj`` (scaled) and the others (the races'
    distance calibrations among them) refitted from ``start``, and where they went; the
    refit's tolerance ``tol`` is relative to the misfit (scipy's ``ftol``).
    Holding the calibrations where the covariance moves them instead saves most of a
    joint fit's refits, but one race's calibration trades off with its critical speed far
    from linearly: one 5 km's critical speed was then held in 32 of 40 fits, against 39."""
    start = start.copy()
    start[j] = uj
    free = np.arange(start.size) != j

    def held(x):
        v = start.copy()
        v[free] = x
        return problem(v)

    try:
        with _differences(problem) as workers:
            res = least_squares(held, start[free], bounds=(0.0, 1.0), diff_step=DIFF_STEP,
                                x_scale="jac", ftol=tol, xtol=tol, gtol=tol,
                                max_nfev=PROFILE_NFEV * (1 + int(free.sum())), **workers)
    except (ValueError, RuntimeError):  # values the model refuses: past the interval
        return math.inf, start
    start[free] = res.x
    return 2.0 * float(res.cost), start


def _profile_end(problem: _Problem, u: np.ndarray, cost: float, cov: np.ndarray, j: int,
                 rise: float, direction: int) -> float:
    """One end of parameter ``j``'s profile-likelihood interval (scaled): where the
    misfit, the others refitted, has risen by ``rise`` from ``cost``; the bound if it never
    does inside it.

    The first point is the end of the Wald interval (``+-1.96`` standard errors); then,
    with the square root of the rise taken as linear in the distance from the fit (exact
    for a quadratic misfit), outward until the rise is passed and inward by false position
    once it is, at most :data:`PROFILE_STEPS` refits, stopping within
    :data:`PROFILE_ACCEPT` of the rise. Each refit starts from the nearest point inside
    the interval found so far (the fit itself first): along a curved valley the
    covariance's straight line leaves the floor, and a refit started there can stop on a
    slope of it."""
    bound = 1.0 if direction > 0 else 0.0
    room = abs(bound - u[j])
    if room < 1e-9:
        return bound
    target = math.sqrt(rise)
    tol = min(max(PROFILE_TOL * rise / max(cost, 1e-300), 1e-10), 1e-3)  # of the misfit
    t = min(Z_95 * math.sqrt(cov[j, j]), room)
    inside = (0.0, 0.0, u)            # distance from the fit, sqrt of the rise, where
    outside: tuple | None = None      # the nearest point past the rise
    for _ in range(PROFILE_STEPS):
        misfit, x = _profile_misfit(problem, inside[2], j, u[j] + direction * t, tol)
        q = math.sqrt(max(misfit - cost, 0.0))  # inf where the model refused the values
        if abs(q * q - rise) <= PROFILE_ACCEPT * rise:
            return u[j] + direction * t
        if q >= target:
            outside = (t, q)
        else:
            inside = (t, q, x)
            if t >= room:
                return bound
        t_in, q_in, _ = inside
        if outside is None:  # outward, along the line from the fit through the last point
            slope = q_in / t_in if t_in > 0 else 0.0
            step = (target - q_in) / slope if slope > 0 else 2.0 * t_in
            t = min(t_in + min(max(step, 0.25 * t_in), 3.0 * t_in), room)
        else:               # inward: false position between the points either side
            t_out, q_out = outside
            t = t_in + ((target - q_in) / (q_out - q_in) if math.isfinite(q_out) else 0.5) * (
                t_out - t_in)
    t_in, q_in, _ = inside
    if outside is None:
        return u[j] + direction * t_in
    t_out, q_out = outside
    if not math.isfinite(q_out):
        # the model refused every value tried past the last one inside: with none inside,
        # the profile says nothing on this side (NaN: the Wald end is given instead)
        return u[j] + direction * t_in if t_in > 0 else math.nan
    return u[j] + direction * (t_in + (target - q_in) / (q_out - q_in) * (t_out - t_in))


def _profile_intervals(problem: _Problem, u: np.ndarray, jac: np.ndarray,
                       cov: np.ndarray, n: int) -> np.ndarray:
    """Profile-likelihood 95 % intervals (scaled, ``n`` rows of low and high) of the first
    ``n`` parameters of ``problem`` at its fit ``u``.

    The misfit along the valley where critical speed, D' and the reserve margin trade off
    is far from quadratic: it bends (the D' a race spends is ``(1 - margin) D'``) and runs
    into the bounds, and a fit can end at one end of it with a Wald interval
    (``+-1.96`` standard errors from the slopes at the fit) that leaves out the other end.
    On a 5 km race of 40 simulated runners one fit ended at D' = 30 m +- 26 m, the margin
    at 0.53, against a truth of 253 m and 0.18, whose misfit, refitted, was only 3.1 above
    the fit's. The interval here is where the misfit, the other parameters (and the races'
    distance calibrations) refitted at each point, stays within the chi-square quantile
    :data:`CHI2_95`, scaled by the ratio of the sandwich variance to the variance the
    residuals would give were they independent (their autocorrelation and variance, as
    in the robust profile likelihood of Royall & Tsou 2003).
    """
    naive = np.linalg.pinv(jac.T @ jac)
    out = np.full((n, 2), math.nan)
    cost = float(np.sum(problem(u) ** 2))
    ends = [(j, d) for j in range(n)
            if np.isfinite(cov[j, j]) and cov[j, j] > 0 and naive[j, j] > 0 for d in (-1, 1)]

    def end(fork: _Problem, jd: tuple[int, int]) -> float:
        j, d = jd
        return _profile_end(fork, u, cost, cov, j, CHI2_95 * cov[j, j] / naive[j, j], d)

    for (j, d), value in zip(ends, _each(problem, end, ends), strict=True):
        out[j, (d + 1) // 2] = value
    return out


def rescaled_log(log: LogData, scale: float) -> LogData | None:
    """A race log as it would have been recorded with its distance ``scale`` times the
    one recorded (a device's calibration error): distances, speeds (and the speed's noise),
    the course and the race's length scaled, elapsed time and elevations as they are.
    None for other logs: their intent is taken from their own pace, which absorbs a
    scale."""
    if not isinstance(log.protocol, Race):
        return None
    course = Course(tuple(np.asarray(log.course.distance_m) * scale), log.course.elevation_m)
    return replace(log, distance_m=log.distance_m * scale, speed_mps=log.speed_mps * scale,
                   speed_sigma=log.speed_sigma * scale, course=course,
                   protocol=replace(log.protocol, distance_m=log.protocol.distance_m * scale))


# ---- the result ------------------------------------------------------------------------
@dataclass
class FitResult:
    """A fitted model. Learned values end in ``_`` (``params_``, ``stderr_``, ...).

    Attributes
    ----------
    params_ : Params or None
        The fitted parameters (unvaried ones as given); None when the fit failed.
    stderr_ : dict
        Standard error of each varied parameter [its unit]: a sandwich estimate from the
        Jacobian taken over steps the size of the errors themselves, each log's speed and
        heart-rate residuals with their own variance and autocorrelation time, each race's
        distance calibration fitted beside it (:data:`DISTANCE_SCALE_SD`). NaN for a
        parameter the logs do not inform. The speed terms' misfit is not quadratic along
        the valley where they trade off: read their ``interval_``.
    interval_ : dict
        The 95 % interval of each varied parameter, ``(low, high)`` [its unit]: for the
        terms fitted on speed, the profile likelihood (the others and the distance
        calibrations refitted at each point, the threshold scaled to the residuals'
        autocorrelation; :func:`_profile_intervals`), which need not be symmetric and stops
        at a bound the data do not rule out; for the heart-rate terms, +-1.96 standard
        errors inside the bounds.
    distance_scale_ : dict
        Each race's fitted distance calibration, by log name: its distances as recorded
        over the distance run (1.01: the device read 1 % long). The race is fitted at its
        recorded distances divided by it; ``logs`` hold it as recorded. Fitted only when
        critical speed is (with it held, a calibration would stand in for it).
    correlation_ : pandas.DataFrame
        Correlation matrix of the varied parameters.
    success, message
        Whether the fit converged, and why not if it did not.
    rmse_speed_, rmse_heart_rate_ : float
        Root-mean-square error of speed [m/s] and heart rate [bpm].
    aic, bic : float
        Information criteria of the fit (Gaussian, on the weighted residuals it was fitted
        to: the races' speed and the heart rate, each residual counting as 1/tau of an
        observation; k counts the varied parameters, a training log's intent being a
        covariate read from the log).
    n_obs : int
        Number of residuals.
    n_parameters : int
        The k of the information criteria: the parameters fitted (a training log's intent,
        read from the log, is a covariate and is not counted).
    baselines_ : pandas.DataFrame
        The governor model and the baselines on the same races' speed: RMSE [m/s], AIC, k,
        whether each converged, and the model evaluations each took. Empty without races
        (a training log's speed is its intent).
    heart_rate_baselines_ : pandas.DataFrame
        The governor's heart rate and the plain first-order model's on the same clean
        samples: RMSE [bpm], AIC, k, convergence. Empty without heart rate.
    information_ : pandas.DataFrame
        Which log informed which parameter: each log's share of each varied parameter's
        Fisher information (the squared slopes of its weighted residuals, summed over its
        samples), one row per log, each column summing to 1. A log with no share told the
        fit nothing about that parameter.
    """

    params_: Params
    stderr_: dict
    correlation_: pd.DataFrame
    success: bool
    message: str
    rmse_speed_: float
    rmse_heart_rate_: float
    aic: float
    bic: float
    n_obs: int
    varied: tuple[str, ...]
    start_: dict
    baselines_: pd.DataFrame
    logs: list[LogData]
    warnings: list[str] = field(default_factory=list)
    heart_rate_baselines_: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_parameters: int = 0
    information_: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_evaluations: int = 0
    run_time_s: float = 0.0
    distance_scale_: dict = field(default_factory=dict)
    interval_: dict = field(default_factory=dict)

    def summary(self) -> dict:
        """A flat dict of plain values: one row of a batch table."""
        out = {
            "success": bool(self.success),
            "message": self.message,
            "n_logs": len(self.logs),
            "efforts": ",".join(log.effort for log in self.logs),
            "n_obs": int(self.n_obs),
            "rmse_speed_mps": float(self.rmse_speed_),
            "rmse_heart_rate_bpm": float(self.rmse_heart_rate_),
            "aic": float(self.aic),
            "bic": float(self.bic),
            "n_warnings": len(self.warnings),
            "run_time_s": float(self.run_time_s),
        }
        for name in self.varied:
            out[name] = (float(getattr(self.params_, name)) if self.params_ is not None
                         else math.nan)
            out[f"{name}_stderr"] = float(self.stderr_.get(name, math.nan))
            low, high = self.interval_.get(name, (math.nan, math.nan))
            out[f"{name}_low"], out[f"{name}_high"] = float(low), float(high)
        if not self.baselines_.empty:
            for model, row in self.baselines_.iterrows():
                out[f"aic_{model}"] = float(row["aic"])
        if not self.heart_rate_baselines_.empty:
            for model, row in self.heart_rate_baselines_.iterrows():
                out[f"rmse_heart_rate_{model}_bpm"] = float(row["rmse_heart_rate_bpm"])
        return out

    def report(self) -> str:
        """A readable report: the fit, each varied parameter with its error, the
        comparison with the baselines, and warnings."""
        lines = [
            f"governor fit of {len(self.logs)} log(s): "
            + ", ".join(f"{log.name} ({log.effort})" for log in self.logs),
            f"  status     {'converged' if self.success else 'FAILED'}: {self.message}",
            f"  residuals  n = {self.n_obs}, speed RMSE {self.rmse_speed_:.3f} m/s, "
            f"heart-rate RMSE {self.rmse_heart_rate_:.1f} bpm; AIC {self.aic:.1f}, "
            f"BIC {self.bic:.1f}",
            f"  cost       {self.n_evaluations} model evaluations in {self.run_time_s:.2f} s",
            "  parameters (value +/- standard error, 95 % interval)",
        ]
        for name in self.varied:
            value = getattr(self.params_, name) if self.params_ is not None else math.nan
            err = self.stderr_.get(name, math.nan)
            low, high = self.interval_.get(name, (math.nan, math.nan))
            lines.append(f"    {name:28s} {value:10.4g} +/- {err:<10.3g} {Params.unit(name):8s}"
                         f" [{low:.4g}, {high:.4g}] (start {self.start_[name]:.4g})")
        if self.distance_scale_:
            lines.append("  distance calibration of each race, fitted (its distances read as "
                         "this times the distance run; held near 1 by a +-2 % prior)")
            lines += [f"    {name}: {scale:.4f}" for name, scale in self.distance_scale_.items()]
        held = [n for n in Params.names() if n not in self.varied]
        lines.append(f"  held at the given values: {len(held)} parameters "
                     "(not identifiable from these logs)")
        if not self.baselines_.empty:
            lines.append("  races' speed, against baselines (lower AIC is better; k counts "
                         "the terms fitted on speed)")
            for model, row in self.baselines_.iterrows():
                lines.append(f"    {model:24s} RMSE {row['rmse_speed_mps']:.3f} m/s  "
                             f"AIC {row['aic']:10.1f}  k = {int(row['k']):<3d}"
                             + ("" if row["converged"] else "  (did not converge)"))
        elif any(log.effort != "race" for log in self.logs):
            lines.append("  speed: a training log's speed is the runner's intent, read from the "
                         "log (a covariate, not fitted or counted); it is compared on heart "
                         "rate")
        if not self.heart_rate_baselines_.empty:
            lines.append("  heart rate, against the plain first-order model (one time "
                         "constant toward a + b v (1 + c grade) + drift t, five terms per "
                         "log; both start from each log's first reading)")
            for model, row in self.heart_rate_baselines_.iterrows():
                lines.append(f"    {model:24s} RMSE {row['rmse_heart_rate_bpm']:.1f} bpm   "
                             f"AIC {row['aic']:10.1f}  k = {int(row['k']):<3d}"
                             + ("" if row["converged"] else "  (did not converge)"))
        for log in self.logs:
            lines += [f"  note ({log.name}): {n}" for n in log.notes]
        if self.warnings:
            lines.append("  warnings")
            lines += [f"    - {w}" for w in self.warnings]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

    def simulate(self, i: int = 0) -> Simulation:
        """The fitted model on log ``i``'s own course, conditions and protocol."""
        self._require_fit()
        return simulate_log(self.params_, self.logs[i])

    def _require_fit(self) -> None:
        if self.params_ is None:
            raise ValueError(f"this fit failed ({self.message}): there is no fitted model")

    def plot(self, i: int = 0, *, ax=None, axes=None, units: str = "metric",
             speed_axis: bool = True):
        """Observed against fitted pace and heart rate of log ``i``, with the model's hidden
        states beneath: six panels sharing the x-axis (or the pace panel alone on ``ax``).

        From top to bottom: pace [min/km] (grade-adjusted for training and interval logs,
        which are compared on the flat; faster higher, speed [m/s] on the right, as in
        :func:`governor.plot.plot_speed`); heart rate [bpm]; recruitment [0-1] with the
        ceiling the reserve allows; the reserve D' [m] with the safety reserve the governor
        holds; core temperature [°C]; perceived exertion [CR10]. The fitted lines are the
        model's prediction at the log's samples, as the fit compares them: by distance for a
        race (x-axis in km, or miles), by elapsed time otherwise (x-axis in min); the hidden
        states are read at the same points.

        Parameters
        ----------
        i : int
            Which log of the fit to draw.
        ax : matplotlib.axes.Axes, optional
            Draw only the top panel, observed against fitted pace, on this Axes.
        axes : sequence of six matplotlib.axes.Axes, optional
            Draw the six panels on these, top to bottom. With neither ``ax`` nor ``axes``,
            a new figure of six panels.
        units : {"metric", "imperial"}
            Pace in min/km and distance in km, or min/mile and miles.
        speed_axis : bool
            Keep speed [m/s] on a right-hand axis of the pace panel.

        Returns
        -------
        matplotlib.figure.Figure
            The figure drawn on (that of ``ax`` or ``axes`` when given). A new figure's
            panels are ``fig.axes``, top to bottom (the speed axis is a child of the first,
            not among them). Every line carries a label (``"observed"``, ``"fitted"``,
            ``"recruitment"``, ``"recruitment ceiling"``, ``"reserve"``, ``"safety
            reserve"``, ``"core"``, ``"RPE"``); the pace lines' y data are paces [s per km,
            or mile]: ``1000 / speed``.

        Raises
        ------
        ValueError
            If the fit failed, if both ``ax`` and ``axes`` are given, or if ``axes`` are not
            six.

        Examples
        --------
        >>> fig = result.plot()                                  # doctest: +SKIP
        >>> fig.savefig("fit.png")                               # doctest: +SKIP
        >>> fig, ax = plt.subplots(); result.plot(ax=ax)         # doctest: +SKIP
        """
        import matplotlib.pyplot as plt

        from governor.plot import column_label, set_pace_axis
        from governor.units import pace_s, pace_unit, unit_metres

        self._require_fit()
        per = pace_unit(units)
        if ax is not None and axes is not None:
            raise ValueError("FitResult.plot: give ax (the pace panel) or axes (six panels), "
                             "not both")
        log = self.logs[i]
        v, hr, sim = predicted(self.params_, log)
        if ax is not None:
            panels = [ax]
        else:
            if axes is None:
                _, axes = plt.subplots(6, 1, figsize=(9.0, 12.0), sharex=True,
                                       layout="constrained")
            panels = list(np.asarray(axes, dtype=object).ravel())
            if len(panels) != 6:
                raise ValueError(f"FitResult.plot draws six panels; got {len(panels)} axes")
        tr = sim.trace
        race = isinstance(log.protocol, Race)
        if race:
            x, x_label = log.distance_m / unit_metres(per), f"distance [{per}]"
            x_sim, x_obs = tr["distance_m"].to_numpy(), log.distance_m
        else:
            x, x_label = log.time_s / 60.0, "elapsed time [min]"
            x_sim, x_obs = tr.index.to_numpy(), log.time_s

        def at_log(column):
            return np.interp(x_obs, x_sim, tr[column].to_numpy())

        ax_v = panels[0]
        rmse_v = float(np.sqrt(np.mean((v - log.speed_mps) ** 2)))
        observed = "observed" if race else "observed (grade-adjusted)"
        ax_v.plot(x, pace_s(log.speed_mps, per), color="0.6", lw=0.8, label=observed)
        ax_v.plot(x, pace_s(v, per), color="C0", lw=1.5, label="fitted")
        # framed on the running paces, not the model's first seconds from a standstill
        set_pace_axis(ax_v, units, speed_axis=speed_axis,
                      label=f"pace [min/{per}]" if race else
                      f"grade-adjusted pace [min/{per}]")
        ax_v.set_title(f"{Path(str(log.name)).name} ({log.effort}): speed RMSE {rmse_v:.3f} m/s")

        if len(panels) == 6:
            ax_hr, ax_r, ax_d, ax_t, ax_p = panels[1:]
            if log.has_heart_rate:
                ok = np.isfinite(log.heart_rate_bpm)
                rmse_hr = float(np.sqrt(np.mean((hr[ok] - log.heart_rate_bpm[ok]) ** 2)))
                ax_hr.plot(x, log.heart_rate_bpm, color="0.6", lw=0.8, label="observed")
                ax_hr.set_title(f"heart rate RMSE {rmse_hr:.1f} bpm")
            else:
                ax_hr.set_title("no heart rate in this log: the model's prediction only")
            ax_hr.plot(x, hr, color="C3", lw=1.5, label="fitted")
            ax_hr.set_ylabel(column_label("heart_rate_bpm"))

            ax_r.plot(x, at_log("recruitment"), color="C0", label="recruitment")
            ax_r.plot(x, at_log("recruitment_ceiling"), color="C3", ls="--",
                      label="recruitment ceiling")
            ax_r.set_ylabel(column_label("recruitment"))
            ax_r.set_ylim(0.0, 1.05)
            ax_r.set_title("hidden states of the fitted model (never observed)")

            ax_d.plot(x, at_log("reserve_m"), color="C2", label="reserve")
            ax_d.plot(x, at_log("safety_reserve_m"), color="C3", ls="--",
                      label="safety reserve")
            ax_d.set_ylabel(column_label("reserve_m"))
            ax_d.set_ylim(bottom=0.0)

            ax_t.plot(x, at_log("core_temp_c"), color="C3", label="core")
            ax_t.set_ylabel(column_label("core_temp_c"))

            ax_p.plot(x, at_log("rpe"), color="C1", label="RPE")
            ax_p.set_ylabel(column_label("rpe"))
            ax_p.set_ylim(0.0, 10.5)
        panels[-1].set_xlabel(x_label)

        for panel in panels:
            panel.grid(True, alpha=0.3)
            panel.legend(loc="best", fontsize="small", frameon=False)
            panel.set_xlim(x[0], x[-1])
        return panels[0].figure


# ---- baselines -------------------------------------------------------------------------
def _aic(ssr: float, n: int, k: int, tau: float = 1.0) -> float:
    """Gaussian AIC on weighted residuals, counting each residual as ``1/tau`` of an
    independent observation (``tau``: the residuals' autocorrelation time)."""
    return (n / tau) * math.log(max(ssr, 1e-300) / n) + 2 * k


def baselines(params: Params, logs: Sequence[LogData], governor_speed: Sequence[np.ndarray],
              governor_k: int, tau: float = 1.0) -> pd.DataFrame:
    """The governor model against baselines on the same races' speed: constant pace (one
    speed per race); critical speed and D' with no governor (all-out, CS and D' fitted);
    Riegel's power law, T = a d^1.06 (one a for all the races).

    ``logs`` are races (a training log's speed is the runner's intent, read from the log: a
    covariate the governor is given, so it is compared on heart rate only).
    ``governor_speed`` are the governor model's weighted speed residuals, race by race, and
    ``governor_k`` its parameters fitted on speed. Each row gives the RMSE [m/s], the weighted
    SSR, the parameter count k, the AIC (with the residuals' autocorrelation time ``tau``),
    whether its fit converged (constant pace and Riegel are closed-form) and the model
    evaluations (simulations of a log) it took.
    """
    def row(residuals_by_log, k, converged=True, evaluations=0):
        weighted = np.concatenate(residuals_by_log)
        plain = np.concatenate([r * log.speed_weight_sigma for r, log in
                                zip(residuals_by_log, logs, strict=True)])
        return {"rmse_speed_mps": float(np.sqrt(np.mean(plain**2))),
                "ssr": float(np.sum(weighted**2)), "k": k, "converged": converged,
                "evaluations": evaluations}

    rows = {"governor": row(governor_speed, governor_k)}
    scored = [log.speed_mps[log.scored_from:] for log in logs]
    rows["constant_pace"] = row([(v - v.mean()) / log.speed_weight_sigma
                                 for v, log in zip(scored, logs, strict=True)], len(logs))
    # Riegel: mean speed of each race v = d / (a d^1.06) = d^-0.06 / a, one a
    d = np.array([log.distance_m[-1] for log in logs])
    t = np.array([log.time_s[-1] for log in logs])
    a = float(np.exp(np.mean(np.log(t / d**1.06))))
    rows["riegel"] = row([(v - dist / (a * dist**1.06)) / log.speed_weight_sigma
                          for v, log, dist in zip(scored, logs, d, strict=True)], 1)
    rows["cs_d_prime_no_governor"] = row(*_all_out_fit(params, logs))
    n = int(sum(v.size for v in scored))
    table = pd.DataFrame(rows).T
    table["aic"] = [_aic(float(r["ssr"]), n, int(r["k"]), tau) for _, r in table.iterrows()]
    table["k"] = table["k"].astype(int)
    table["converged"] = table["converged"].astype(bool)
    table["evaluations"] = table["evaluations"].astype(int)
    return table.sort_values("aic")


#: Least-squares evaluations the all-out CS/D' baseline may take.
ALL_OUT_MAX_NFEV = 200


def _all_out_fit(params: Params, logs: Sequence[LogData]):
    """The all-out CS/D' baseline (no governor) fitted to the races: its weighted speed
    residuals race by race, its parameter count, whether it converged, and the model
    evaluations it took.

    An all-out runner covers ``d = D' + CS t`` in a race of time t (Monod & Scherrer's
    relation). Two starts are screened: the line through the races' distances and times
    (with one race, D' as given and CS from it), and D' at its lower bound with CS from the
    races' mean speed, where the all-out model, which must start fast and fade, comes
    closest to a race run evenly (there its misfit is often least: the search would crawl
    along the bound from elsewhere). The better is refined."""
    problem = _Problem(params, RESERVE_PARAMS, logs, governor=False, heart=False)
    problem.evaluations = 0
    d = np.array([log.distance_m[-1] for log in logs])
    t = np.array([log.time_s[-1] for log in logs])
    d_lo = Params.bounds("d_prime_m")[0]
    if len(logs) > 1 and np.ptp(t) > 0.2 * t.mean():
        cs, d_prime = np.polyfit(t, d, 1)
    else:
        d_prime = params.d_prime_m
        cs = float(np.mean((d - d_prime) / t))
    starts = [(cs, d_prime), (float(np.mean((d - d_lo) / t)), d_lo)]
    us = [np.clip((np.array(x) - problem.lo) / (problem.hi - problem.lo), 0.0, 1.0)
          for x in starts]
    costs = [float(np.sum(problem(u) ** 2)) for u in us]
    res = least_squares(problem, us[int(np.argmin(costs))], bounds=(0.0, 1.0),
                        diff_step=DIFF_STEP, x_scale="jac", ftol=1e-4, xtol=1e-4, gtol=1e-4,
                        max_nfev=ALL_OUT_MAX_NFEV)
    return (problem.blocks(res.x)[0::2], len(RESERVE_PARAMS), bool(res.status > 0),
            problem.evaluations)


def heart_rate_baselines(governor: HeartFit, plain: HeartFit, tau: float) -> pd.DataFrame:
    """The governor's heart rate against the plain first-order model on the same clean
    samples: RMSE [bpm], SSR [bpm^2], k, AIC (Gaussian, each residual counting 1/``tau``),
    and convergence. The governor's k counts its heart-rate terms fitted (shared by the
    logs); the plain model's, five per log. Both take the first reading of each log as their
    start, not counted."""
    rows = {}
    for name, h in (("governor", governor), ("plain_first_order", plain)):
        rows[name] = {"rmse_heart_rate_bpm": h.rmse_bpm, "ssr": h.ssr, "k": h.k,
                      "aic": _aic(h.ssr, h.n, h.k, tau), "converged": h.converged}
    table = pd.DataFrame(rows).T
    table["k"] = table["k"].astype(int)
    table["converged"] = table["converged"].astype(bool)
    return table.sort_values("aic")


# ---- the search ------------------------------------------------------------------------
#: D' [m] of the starts spread along and across the D'-margin valley.
SPREAD_D_PRIME_M = (90.0, 160.0, 260.0, 420.0, 650.0)
#: Time step of the model when the search screens its starts [s]: ranking them needs only
#: the misfit's coarse shape; the refinements run at 1 s.
SEARCH_DT = 2.0
#: Tolerance of the search's refinements. Looser ones stop short along the D'-margin
#: valley, which the reweighted refinement after them does not make up: on 40 simulated
#: runners (``benchmarks/bench_coverage.py --marathon``, seed 7) 1e-3 saved a third of a
#: race's simulations but the margin's 95 % intervals of joint fits held the truth in 92 and
#: 85 % (5 km + half marathon, 10 km + marathon), 1e-4 in 88 and 85 %, 1e-5 in 90 and 88 %.
SEARCH_TOL = 1e-5
#: How many of the screened starts are refined (the best final misfit wins).
REFINED_STARTS = 2


def _curve_start(base: Params, activities) -> Params | None:
    """Critical speed and D' from the logs' mean-maximal grade-adjusted-speed curve
    inside their bounds; None if the curve gives none."""
    curve = pd.concat([mean_maximal_speed(a) for a in activities], axis=1).max(axis=1)
    start = critical_speed_from_curve(curve.index.to_numpy(), curve.to_numpy())
    if start is None:
        return None
    cs, dp = start
    lo, hi = Params.bounds("critical_speed_mps")
    dlo, dhi = Params.bounds("d_prime_m")
    if not (lo < cs < hi and dlo < dp < dhi):
        return None
    return base.replace(critical_speed_mps=cs, d_prime_m=dp,
                        v_max_mps=max(base.v_max_mps, cs + 1.0))


def _candidates(problem: _Problem, base: Params, activities, starts: int,
                seed: int) -> tuple[list[np.ndarray], int]:
    """Starting points to screen, in the fit's scaled space: the given values first; with
    several logs and critical speed varied, the point the mean-maximal curve gives (a
    candidate, not an override: a governed runner never spends all of D' in a race, so the
    curve reads D' low); points spread over D' (D' and the reserve margin trade
    off, a larger D' held back by a larger margin running much the same race), each once
    with the given margin and once with the margin that keeps the D' spent, (1 - margin)
    D', as given; without D' varied, ``starts - 1`` seeded random points near the given
    values (10 % of each range apart)."""
    names = problem.names
    u_given = problem.to_u(base)
    out = [u_given]
    anchors = [base]
    if len(activities) > 1 and "critical_speed_mps" in names:
        curve = _curve_start(base, activities)
        if curve is not None:
            out.append(problem.to_u(curve))
            anchors.append(curve)
    if "d_prime_m" in names:
        for anchor in anchors:
            spent = (1.0 - anchor.reserve_margin) * anchor.d_prime_m
            m_hi = Params.bounds("reserve_margin")[1]
            for d_prime in SPREAD_D_PRIME_M:
                across = anchor.replace(d_prime_m=d_prime)
                out.append(problem.to_u(across))
                if "reserve_margin" in names:
                    margin = float(np.clip(1.0 - spent / d_prime, 0.0, 0.95 * m_hi))
                    out.append(problem.to_u(across.replace(reserve_margin=margin)))
    # random points, unless the spread along the valley already stands in for them (with
    # D' varied, where fits of simulated runners ended the same with or without them)
    if "d_prime_m" not in names:
        rng = np.random.default_rng(seed)
        out += [np.clip(u_given + rng.normal(0.0, 0.1, u_given.size), 0.0, 1.0)
                for _ in range(max(1, int(starts)) - 1)]
    unique: list[np.ndarray] = []
    for u in out:
        if not any(np.allclose(u, v, atol=1e-9) for v in unique):
            unique.append(u)
    return unique, len(anchors)


def _search(problem: _Problem, candidates: Sequence[np.ndarray], n_anchors: int,
            warnings: list[str]):
    """Screen the candidates by their misfit, refine some, and return the refinement with
    the lowest misfit and the start it came from (None, None if every start failed).

    Without D' varied, the best-screened start is refined. With D' varied, the misfit has
    a long valley (D' against the margin) whose floor is rough at the scale of the
    simulation's numerical noise, so a refinement stops near where it started along it, and
    the start that screens best need not end lowest: the first ``n_anchors`` candidates
    (the given values, and the data-driven start) are refined, and the best-screened of
    the rest, up to :data:`REFINED_STARTS` in all."""
    def screen(fork: _Problem, u: np.ndarray) -> float | Exception:
        try:
            return float(np.sum(fork(u) ** 2))
        except (ValueError, RuntimeError) as exc:  # a start that breaks the model
            return exc

    problem.dt = SEARCH_DT  # screened on the coarser model, refined at 1 s
    try:
        costs = _each(problem, screen, candidates)
    finally:
        problem.dt = 1.0
    for i, c in enumerate(costs):
        if isinstance(c, Exception):
            warnings.append(f"a start failed: {c}")
            costs[i] = math.inf
    # with D' varied, the given start and the data-driven one (the first n_anchors) are
    # always refined, then the best-screened of the rest
    ranked = [i for i in np.argsort(costs, kind="stable") if np.isfinite(costs[i])]
    if "d_prime_m" not in problem.names:  # no valley to search along: the best start
        ranked, n_anchors = ranked[:1], 0
    order = [i for i in ranked if i < n_anchors]
    order += [i for i in ranked if i >= n_anchors][:max(REFINED_STARTS - len(order), 1)]
    def refine(fork: _Problem, i: int):
        try:
            with _differences(fork) as workers:
                return least_squares(fork, candidates[i], bounds=(0.0, 1.0),
                                     diff_step=DIFF_STEP, x_scale="jac", ftol=SEARCH_TOL,
                                     xtol=SEARCH_TOL, gtol=SEARCH_TOL,
                                     max_nfev=50 * (1 + candidates[i].size), **workers)
        except (ValueError, RuntimeError) as exc:
            return exc

    best, u0 = None, None
    for i, res in zip(order, _each(problem, refine, order), strict=True):
        if isinstance(res, Exception):
            warnings.append(f"the refinement failed: {res}")
        elif best is None or res.cost < best.cost:
            best, u0 = res, candidates[i]
    return best, u0



def _noise_from_residuals(problem: _Problem, u: np.ndarray
                          ) -> tuple[list[LogData], list[float]]:
    """The logs with their speed and heart-rate noise set to the root-mean-square of their
    own residuals at ``u`` (floored as in :func:`~governor.fitting.data.prepare`), and the
    autocorrelation time of each log's speed residuals [samples].

    The first-pass noise (:func:`~governor.fitting.data.robust_noise`, around a running
    median) follows noise that is autocorrelated over more than a few samples, as speed
    derived from smoothed GPS positions is, and so underestimates it: the same run as a GPX
    file got about half the noise of its CSV copy, and four times the weight in a joint
    fit. The residuals of a fit have the scale the weighting is for, whatever their
    autocorrelation; a log the model fits less well also counts for less (a variance
    component per log and signal, as in feasible weighted least squares).

    Each log's speed also counts by its effective number of observations: its residuals
    are divided by the noise times the square root of their autocorrelation time
    (``speed_tau``). By its noise alone, a race whose speed came from smoothed GPS
    positions (residuals correlated over more samples, and smaller) counted about twice
    as much per sample as its own CSV copy with the device's speed; by both, the two
    count alike. Alone, a log's fit is the same either way (its residuals are all divided
    by one number more), and so are its errors and intervals.
    """
    p = problem.params(u)
    out, taus = [], []
    for log in problem.logs_at(u):
        r_v, r_hr = log_residuals(p, log, governor=problem.governor, heart=problem.heart)
        changes = {}
        r_v = r_v[np.isfinite(r_v)] * log.speed_weight_sigma
        taus.append(_autocorrelation_time(r_v) if r_v.size >= 10 else 1.0)
        if r_v.size >= 10:
            changes["speed_sigma"] = max(float(np.sqrt(np.mean(r_v**2))), SPEED_SIGMA_FLOOR)
            changes["speed_tau"] = taus[-1]
        r_hr = r_hr[np.isfinite(r_hr)] * log.heart_rate_sigma
        if r_hr.size >= 10:
            changes["heart_rate_sigma"] = max(float(np.sqrt(np.mean(r_hr**2))),
                                              HEART_RATE_SIGMA_FLOOR)
        out.append(replace(log, **changes))
    return out, taus


# ---- fit -------------------------------------------------------------------------------
def prepare_logs(activities: Sequence, effort, temperature_c, base: Params,
                 caller: str) -> tuple[list[LogData], list[float | None]]:
    """Each activity prepared for fitting (:func:`prepare`), with ``effort`` and
    ``temperature_c`` given per log or one for all; and the temperatures as given (None
    where assumed). ``caller`` names the function in the error for a wrong count."""
    n = len(activities)
    efforts = list(effort) if isinstance(effort, list | tuple) else [effort] * n
    temps = (list(temperature_c) if isinstance(temperature_c, list | tuple)
             else [temperature_c] * n)
    if len(efforts) != n or len(temps) != n:
        raise ValueError(f"{caller}: give one effort and one temperature per log, or one "
                         "for all")
    logs = [prepare(a, effort=e, temperature_c=tc, heart_rate_max_bpm=base.heart_rate_max_bpm)
            for a, e, tc in zip(activities, efforts, temps, strict=True)]
    return logs, temps


def fit(activity_or_list, *, params: Params | None = None, vary: Sequence[str] | None = None,
        effort: str | Sequence[str | None] | None = None,
        temperature_c: float | Sequence[float | None] | None = None,
        starts: int = 8, seed: int = 0, with_baselines: bool = True,
        progress: bool = False, threads: int | None = None) -> FitResult:
    """Fit the model to one log or to an athlete's several logs.

    Parameters
    ----------
    activity_or_list
        An :class:`~governor.io.Activity` (from :func:`governor.read_log`) or a list of them
        (one athlete: the varied parameters are shared across the logs).
    params
        Starting and held values (default :data:`governor.TRAINED`). With several logs
        and critical speed varied, the logs' mean-maximal grade-adjusted-speed curve gives
        another start for critical speed and D' (one candidate among the starts, not a
        replacement: a governed runner never spends all of D', so the curve reads D' low).
    vary
        Names of the parameters to fit; default: what the logs can inform (heart-rate
        kinetics with heart rate; critical speed and D' with a maximal effort; the reserve
        margin with a race).
    effort
        ``"race"``, ``"intervals"`` or ``"training"`` per log (or one for all); None
        detects it (and the report says so).
    temperature_c
        Air temperature of each log [degC]; None assumes 15 degC (and says so).
    starts, seed
        Number of starting points near ``params`` (the first is ``params``; the others are
        seeded random points, 10 % of each range apart) and the seed. With D' varied, points
        spread over D' (with the given margin, and with the margin that keeps the D' spent)
        and the curve's start take the random points' place. All are screened by their
        misfit; the best is refined, and with D' varied also ``params`` and the curve's
        start (:data:`REFINED_STARTS` refinements, more with the curve's start), and the
        lowest misfit wins.
    with_baselines
        Also fit the baselines: on the races' speed, constant pace, CS/D' without a
        governor and Riegel; on heart rate, the plain first-order model.
    progress
        Show a progress bar on stderr: the simulations run so far, their rate, and the
        stage (search, refinement, heart rate, baselines). A joint fit of several logs
        runs for tens of seconds. Shown in a terminal or a notebook only, not where stderr
        is a file.
    threads
        How many of the fit's independent parts (the search's starts and refinements,
        the finite-difference columns, the interval slopes' columns, the ends of the
        profile intervals) run at once; default the cores available
        (:func:`available_cores`). The fitted values, errors and intervals are the same on
        any number (the count of simulations can differ by the few one thread finds kept
        by another). :func:`governor.fit_many` runs each fit on one, its workers taking
        the cores.

    Returns
    -------
    FitResult
    """
    if threads is None:
        threads = available_cores()
    elif isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"fit: threads must be a whole number >= 1, got {threads!r}")
    args = (activity_or_list, params, vary, effort, temperature_c, starts, seed,
            with_baselines, threads)
    if progress and _PROGRESS.get() is None and _interactive(sys.stderr):
        from tqdm import tqdm

        with tqdm(desc="fit", unit=" simulations", file=sys.stderr, dynamic_ncols=True,
                  leave=False) as bar:
            token = _PROGRESS.set(bar)
            try:
                return _fit_threaded(*args)
            finally:
                _PROGRESS.reset(token)
    return _fit_threaded(*args)


def _fit_threaded(*args) -> FitResult:
    """:func:`_fit`; with several threads, each library's own (BLAS) limited to one
    meanwhile: the fit's threads already take the cores, and a BLAS thread more for every
    decomposition of a joint fit's Jacobian made an athlete of ten logs no faster on two
    threads than on one (2.4 s against 2.5 s; 1.6 s with one BLAS thread)."""
    if args[-1] <= 1:
        return _fit(*args)
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _fit(*args)


def _fit(activity_or_list, params, vary, effort, temperature_c, starts, seed,
         with_baselines, threads) -> FitResult:
    """The body of :func:`fit`, its arguments checked."""
    t0 = time.perf_counter()
    activities = (list(activity_or_list) if isinstance(activity_or_list, list | tuple)
                  else [activity_or_list])
    if not activities:
        raise ValueError("fit: no logs given")
    n = len(activities)
    base = params if params is not None else TRAINED
    logs, _ = prepare_logs(activities, effort, temperature_c, base, "fit")
    names = tuple(vary) if vary is not None else default_vary(logs)
    unknown = [v for v in names if v not in Params.names()]
    if unknown:
        raise ValueError(f"fit: unknown parameter(s) {unknown}")
    warnings: list[str] = []
    speed_names = tuple(nm for nm in names if nm not in HEART_PARAMS)
    heart_names = tuple(nm for nm in names if nm in HEART_PARAMS)
    # speed informs the speed terms from races only (a training log's speed is its intent);
    # with none, from every log (the caller asked for those terms)
    speed_idx = [i for i, log in enumerate(logs) if log.effort == "race"] or list(range(n))
    heart_idx = [i for i, log in enumerate(logs) if log.has_heart_rate]
    problem = _Problem(base, speed_names, [logs[i] for i in speed_idx], heart=False)
    problem.threads = threads
    if not names or (not speed_names and not heart_idx):
        return _failed(base, names, logs, "nothing these logs can identify: no heart rate "
                       "and no maximal effort (if it was a race, say so: effort='race' in Python, "
                       "--effort race on the command line)", warnings, problem, t0)
    fitted = base
    log_names = _unique_names(logs)
    speed_blocks: list[np.ndarray] = []
    distance_scale: dict[str, float] = {}
    recorded = list(logs)
    parts = []  # (names, u, u0, jac, blocks, lo, hi) of each stage, for the errors
    if speed_names:
        _stage("searching")
        candidates, n_anchors = _candidates(problem, base, [activities[i] for i in speed_idx],
                                            starts, seed)
        best, u0 = _search(problem, candidates, n_anchors, warnings)
        if best is None:
            return _failed(base, names, logs, "every start failed", warnings, problem, t0)
        # second pass: each log weighted by its own residuals' scale, each race's distance
        # calibration fitted beside the parameters (held by its prior), refined from there
        reweighted, taus = _noise_from_residuals(problem, best.x)
        for i, log in zip(speed_idx, reweighted, strict=True):
            logs[i] = log
        evaluations = problem.evaluations
        # with critical speed held, a calibration would stand in for it (a race read 3 %
        # short in place of a runner 3 % slower than held): fitted only beside it
        problem = _Problem(base, speed_names, [logs[i] for i in speed_idx], heart=False,
                           # each log's residuals are weighted by their own
                           # autocorrelation time now: a prior row counts as one of them
                           scale_taus=([1.0] * len(taus) if "critical_speed_mps" in speed_names
                                       else None))
        problem.evaluations = evaluations
        problem.threads = threads
        x0 = problem.to_u(problem.params(best.x))
        u0 = np.concatenate([u0, x0[len(speed_names):]])
        _stage("refining")
        try:
            with _differences(problem) as workers:
                best = least_squares(problem, x0, bounds=(0.0, 1.0), diff_step=DIFF_STEP,
                                     x_scale="jac", ftol=1e-5, xtol=1e-5, gtol=1e-5,
                                     max_nfev=50 * (1 + x0.size), **workers)
        except (ValueError, RuntimeError) as exc:
            return _failed(base, names, logs, f"the reweighted refinement failed: {exc}",
                           warnings, problem, t0)
        fitted = problem.params(best.x)
        all_blocks = problem.blocks(best.x)
        speed_blocks = all_blocks[0::2]
        parts.append((speed_names, best.x, u0, best.jac, all_blocks, problem.lo_all,
                      problem.hi_all, problem, [i for i in speed_idx for _ in (0, 1)]))
        # the races as fitted: distances divided by their fitted calibration
        for j, e in zip(problem.scaled, problem.scale_errors(best.x), strict=True):
            distance_scale[log_names[speed_idx[j]]] = 1.0 + float(e)
        recorded = list(logs)
        for i, log in zip(speed_idx, problem.logs_at(best.x), strict=True):
            logs[i] = log
        speed_ok, speed_message = bool(best.success), str(best.message)
    else:
        speed_ok, speed_message = True, ""
    # the fitted model on every log once: speed, and the trajectory heart rate is read along
    sims = [simulate_log(fitted, log) for log in logs]
    problem.evaluations += n
    heart_fit = None
    trajectories = [Trajectory(sims[i], logs[i], isinstance(logs[i].protocol, Race))
                    for i in heart_idx]
    heart_ok, heart_message = True, ""
    if heart_names and heart_idx:
        _stage("heart rate")
        try:
            sigmas = [logs[i].heart_rate_sigma for i in heart_idx]
            fitted_h, heart_fit = fit_heart_rate(fitted, heart_names, trajectories, sigmas)
            # second pass: each log weighted by its own residuals' scale
            sigmas = [max(float(np.sqrt(np.mean(r**2))), HEART_RATE_SIGMA_FLOOR)
                      for r in heart_fit.residuals]
            u0_h = np.clip((np.array([getattr(fitted, nm) for nm in heart_names])
                            - heart_fit.lo) / (heart_fit.hi - heart_fit.lo), 0.0, 1.0)
            fitted, heart_fit = fit_heart_rate(fitted_h, heart_names, trajectories, sigmas,
                                               refit=True)
        except (ValueError, RuntimeError) as exc:
            return _failed(base, names, logs, f"the heart-rate fit failed: {exc}", warnings,
                           problem, t0)
        for i, sigma in zip(heart_idx, sigmas, strict=True):
            logs[i] = replace(logs[i], heart_rate_sigma=sigma)
        parts.append((heart_names, heart_fit.u, u0_h, heart_fit.jac, heart_fit.blocks,
                      heart_fit.lo, heart_fit.hi, None, heart_idx))
        heart_ok, heart_message = heart_fit.converged, heart_fit.message
    # errors, stage by stage (heart-rate terms are fitted given the speed terms: their
    # correlation with them is not estimated and is NaN)
    stderr: dict = {}
    intervals: dict = {}
    corr = np.full((len(names), len(names)), math.nan)
    blind_all, unmoved_all = [], []
    information = pd.DataFrame(0.0, index=log_names, columns=list(names))
    for part_names, u, u_start, jac, blocks, lo, hi, stage, owners in parts:
        err, c, blind, unmoved, ci = _errors(u, u_start, jac, blocks, lo, hi, stage)
        k_part = len(part_names)  # the rest are nuisance distance errors
        intervals.update({nm: (float(a), float(b))
                          for nm, (a, b) in zip(part_names, ci[:k_part], strict=True)})
        err, c, blind, unmoved = (err[:k_part], c[:k_part, :k_part], blind[:k_part],
                                  unmoved[:k_part])
        u, lo, hi = u[:k_part], lo[:k_part], hi[:k_part]
        information[list(part_names)] = _information_shares(jac[:, :k_part], blocks, owners, n)
        idx = [names.index(nm) for nm in part_names]
        corr[np.ix_(idx, idx)] = c
        stderr.update(zip(part_names, map(float, err), strict=True))
        blind_all += list(blind)
        unmoved_all += list(unmoved)
        _warn(part_names, u, err, c, blind, unmoved, lo, hi, warnings)
    correlation = pd.DataFrame(corr, index=names, columns=names)
    stderr = {nm: stderr.get(nm, math.nan) for nm in names}
    u0_values = (dict(zip(speed_names, parts[0][2][:len(speed_names)], strict=True))
                 if speed_names else {})
    start_values = {nm: float(getattr(base, nm)) for nm in names}
    if speed_names:
        start_values.update({nm: float(getattr(problem.params(parts[0][2]), nm))
                             for nm in u0_values})
    races = [log.duration_s for log in logs if log.effort == "race"]
    if {"d_prime_m", "reserve_margin"} <= set(names) and races:
        if len(races) == 1:
            warnings.append("one race hardly separates d_prime_m from reserve_margin; their "
                            "errors may be optimistic (a race of another length separates "
                            "them: at least twice as long or as short)")
        elif max(races) < 2 * min(races):
            warnings.append("d_prime_m and reserve_margin are hard to separate with races of "
                            "similar length; their errors may be optimistic (add a race at "
                            "least twice as long or as short)")
    if fitted.v_max_mps != base.v_max_mps:
        warnings.append(f"v_max_mps raised from {base.v_max_mps:g} to {fitted.v_max_mps:g} to "
                        "stay above the fitted critical speed")
    if parts and all(b or m for b, m in zip(blind_all, unmoved_all, strict=True)):
        return _failed(base, names, logs, "nothing moved from its start: these logs do not "
                       "identify " + ", ".join(names), warnings, problem, t0)
    # what the fit is scored on: the races' speed (if speed terms were fitted) and the heart
    # rate (if heart-rate terms were)
    scored = list(speed_blocks) + (list(heart_fit.blocks) if heart_fit is not None else [])
    r = np.concatenate(scored) if scored else np.zeros(0)
    n_obs = int(r.size)
    ssr = float(np.sum(r**2))
    tau = _mean_tau(scored)
    success = speed_ok and heart_ok and np.isfinite(ssr)
    message = "; ".join(m for m in (speed_message, heart_message) if m)
    if not success:
        message = f"least squares did not converge: {message}"
    v_all = [predicted_speed(sim, log) for sim, log in zip(sims, logs, strict=True)]
    # in the units the speed was recorded in (a calibrated race's residuals times its scale)
    scales = [distance_scale.get(nm, 1.0) for nm in log_names]
    rmse_v = math.sqrt(float(np.mean(np.concatenate(
        [((v - log.speed_mps) * f)[log.scored_from:]
         for v, log, f in zip(v_all, logs, scales, strict=True)]) ** 2)))
    hr_res = [tr.residuals(fitted) for tr in trajectories]
    rmse_hr = (math.sqrt(float(np.mean(np.concatenate(hr_res) ** 2))) if hr_res
               else math.nan)
    # parameters: the terms fitted, and each race's distance calibration; a training log's
    # intent is a covariate read from the log
    k = len(names) + len(distance_scale)
    aic = _aic(ssr, n_obs, k, tau) if n_obs else math.nan
    bic = ((n_obs / tau) * math.log(max(ssr, 1e-300) / n_obs) + k * math.log(n_obs / tau)
           if n_obs else math.nan)
    table, heart_table = pd.DataFrame(), pd.DataFrame()
    if with_baselines:
        _stage("baselines")
        race_idx = [i for i in speed_idx if logs[i].effort == "race"]
        if speed_names and race_idx:
            race_blocks = [speed_blocks[speed_idx.index(i)] for i in race_idx]
            tau_v = _mean_tau(race_blocks)
            table = baselines(fitted, [recorded[i] for i in race_idx], race_blocks,
                              len(speed_names) + len(distance_scale), tau_v)
            problem.evaluations += int(table["evaluations"].sum())
            if table.index[0] != "governor":
                warnings.append(f"the {table.index[0]} baseline explains the races' speed "
                                "better (AIC)")
            for model, row_ in table.iterrows():
                if not row_["converged"]:
                    warnings.append(f"the {model} baseline did not converge")
        if heart_idx:
            hlogs = [logs[i] for i in heart_idx]
            plain = fit_plain_heart_rate(hlogs)
            gov = heart_fit if heart_fit is not None else _heart_at(fitted, trajectories)
            heart_table = heart_rate_baselines(gov, plain, _mean_tau(
                [rr / max(np.std(rr), 1e-9) for rr in gov.residuals]))
            if heart_table.index[0] != "governor":
                warnings.append("the plain first-order model explains the heart rate better "
                                "(AIC)")
            if not plain.converged:
                warnings.append(f"the plain heart-rate baseline did not converge: "
                                f"{plain.message}")
    return FitResult(
        params_=fitted, stderr_=stderr, correlation_=correlation, success=success,
        message=str(message), rmse_speed_=rmse_v, rmse_heart_rate_=rmse_hr, aic=aic, bic=bic,
        n_obs=n_obs, varied=names, start_=start_values, baselines_=table,
        logs=[replace(r, heart_rate_sigma=log.heart_rate_sigma)  # the races as recorded
              for r, log in zip(recorded, logs, strict=True)],
        heart_rate_baselines_=heart_table, n_parameters=k, information_=information,
        warnings=warnings,
        n_evaluations=problem.evaluations, run_time_s=time.perf_counter() - t0,
        distance_scale_=distance_scale,
        interval_={nm: intervals.get(nm, (math.nan, math.nan)) for nm in names},
    )


def predicted_speed(sim: Simulation, log: LogData) -> np.ndarray:
    """A simulation's speed [m/s] at a log's samples (by distance for a race)."""
    if isinstance(log.protocol, Race):
        return np.interp(log.distance_m, sim.column("distance_m"), sim.column("speed_mps"))
    return np.interp(log.time_s, sim.time_s, sim.column("speed_mps"))


def _mean_tau(blocks: Sequence[np.ndarray]) -> float:
    """The residuals' autocorrelation time, averaged over blocks by their size."""
    sizes = [b.size for b in blocks]
    if not sum(sizes):
        return 1.0
    return sum((_autocorrelation_time(b) if b.size >= 10 else 1.0) * b.size
               for b in blocks) / sum(sizes)


def _heart_at(params: Params, trajectories) -> HeartFit:
    """The model's heart rate at given terms, scored as a fit with none fitted."""
    res = [tr.residuals(params) for tr in trajectories]
    r = np.concatenate(res)
    return HeartFit(values={}, stderr={}, rmse_bpm=float(np.sqrt(np.mean(r**2))),
                    ssr=float(np.sum(r**2)), n=int(r.size), k=0, converged=True,
                    message="held", residuals=res)


def _errors(u, u_start, jac, blocks, lo, hi, problem: _Problem | None = None):
    """Standard errors [the parameters' units] and correlations of one stage's fit: a
    sandwich estimate, each block (a log's residuals of one signal) with its own residual
    variance and autocorrelation time; and which parameters the residuals do not depend on
    (blind) or did not move from their start.

    With the stage's ``problem`` (the speed stage, whose residuals come from simulations),
    the slopes are taken over the interval itself (:func:`_interval_jacobian`), the
    races' fitted distance calibrations among them (their prior rows end the Jacobian;
    :func:`_sandwich`); ``blocks`` are then the problem's own (speed and heart rate of each
    log, in turn), and the errors of the calibrations end ``err``. The
    heart-rate stage's residuals are smooth in its terms and its Jacobian is used as it is.
    """
    # a parameter the residuals do not depend on is not identified: no error bar to give
    blind = np.linalg.norm(jac, axis=0) < 1e-8 * max(float(np.linalg.norm(jac)), 1e-300)
    taus = [_autocorrelation_time(b) if b.size >= 10 else 1.0 for b in blocks]
    if problem is not None:
        prior_taus = problem.prior_taus
        jac = _interval_jacobian(problem, np.asarray(u), jac, blocks, taus, blind,
                                 prior_taus)
        cov = _sandwich(jac, blocks, taus, len(u), prior_taus)
        k = len(problem.names)
        interval = lo[:k, None] + _profile_intervals(
            problem, np.asarray(u), jac, cov, k) * (hi - lo)[:k, None]
    else:
        cov = _sandwich(jac, blocks, taus, len(u))
        interval = None
    cov = cov * np.outer(hi - lo, hi - lo)
    err = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    err[blind] = math.nan
    cov[blind, :] = math.nan
    cov[:, blind] = math.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(err, err)
    unmoved = np.abs(np.asarray(u) - np.asarray(u_start)) < 1e-6
    value = lo + np.clip(np.asarray(u), 0.0, 1.0) * (hi - lo)
    wald = np.column_stack([np.maximum(value - Z_95 * err, lo),
                            np.minimum(value + Z_95 * err, hi)])
    if interval is None:
        interval = wald
    interval = np.where(np.isfinite(interval), interval, wald[:len(interval)])
    interval[blind[:len(interval)]] = math.nan
    return err, corr, blind, unmoved, interval


def _unique_names(logs) -> list[str]:
    """The logs' names, each made unique by its position where two share one."""
    names = [str(log.name) for log in logs]
    return [f"{nm} [{i}]" if names.count(nm) > 1 else nm for i, nm in enumerate(names)]


def _information_shares(jac: np.ndarray, blocks, owners, n_logs: int) -> np.ndarray:
    """Each log's share of each column's Fisher information ``sum J^2`` (rows of block
    ``b`` belong to log ``owners[b]``): an array of ``n_logs`` rows, columns summing to 1
    (0 for a column no log informs)."""
    out = np.zeros((n_logs, jac.shape[1]))
    row = 0
    for b, owner in zip(blocks, owners, strict=True):
        out[owner] += np.sum(jac[row:row + b.size] ** 2, axis=0)
        row += b.size
    total = out.sum(axis=0)
    return np.divide(out, total, out=np.zeros_like(out), where=total > 0)


def _warn(names, u, err, corr, blind, unmoved, lo, hi, warnings) -> None:
    """Say what a stage of the fit could not tell."""
    for i, nm in enumerate(names):
        if u[i] <= BOUND_WARNING or u[i] >= 1 - BOUND_WARNING:
            warnings.append(f"{nm} is at a bound of its range {Params.bounds(nm)}: no error "
                            "is given for it")
            # the least squares' Jacobian is zero for a term held at its bound
            continue
        if blind[i]:
            warnings.append(f"{nm} does not change the fit: not identified by these logs")
            continue
        if unmoved[i]:
            warnings.append(f"{nm} did not move from its start: not identified by these logs")
        if not np.isfinite(err[i]) or err[i] > 0.5 * (hi[i] - lo[i]):
            warnings.append(f"{nm} is poorly determined (standard error {err[i]:.3g})")
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if abs(corr[i, j]) > CORRELATION_WARNING:
                warnings.append(f"{names[i]} and {names[j]} are too correlated to separate "
                                f"(r = {corr[i, j]:.2f})")


def _failed(base, names, logs, message, warnings, problem, t0) -> FitResult:
    """A fit that failed: no parameters (``params_`` is None), NaN errors, and the reason."""
    nan = {nm: math.nan for nm in names}
    return FitResult(
        params_=None, stderr_=nan, correlation_=pd.DataFrame(), success=False,
        message=message, rmse_speed_=math.nan, rmse_heart_rate_=math.nan, aic=math.nan,
        bic=math.nan, n_obs=0, varied=tuple(names),
        start_={nm: float(getattr(base, nm)) for nm in names}, baselines_=pd.DataFrame(),
        logs=logs, warnings=warnings, n_evaluations=problem.evaluations,
        run_time_s=time.perf_counter() - t0)
