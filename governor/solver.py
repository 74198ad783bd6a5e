"""Integrators for the model: a compiled fixed-step RK4 and a scipy reference.

Both integrate :func:`governor.model.evaluate` and apply the same ending rules, so their
traces can be compared point by point (``tests/test_solver.py``). The rules are the
protocol's (its ``ends``, packed as ``ends_on_*`` scalars); nothing here names a protocol.

Ending rules (status codes):

``FINISHED``
    ``"distance"``: the finish line is reached (the last row is interpolated to the line);
    ``"duration"``: the effort's time is up;
``EXHAUSTED``
    ``"exhaustion"``: the reserve's ceiling falls below an imposed demand;
``STOPPED``
    the runner stops by decision: ``"tolerance"``, perceived exertion, or the clock that
    brings the template to it, reaches the most the runner is willing to give (see
    :func:`governor.model.imposed_command`); ``"speed_floor"``, self-paced speed falls
    below the stated fraction of its settled value;
``HYPERTHERMIA``
    the true core temperature reaches the critical thermal maximum
    (:data:`governor.physiology.thermal.CRITICAL_CORE_C`): heat illness ends any effort,
    whatever the governor believes (the last row is interpolated to that temperature);
``TIME_LIMIT``
    the protocol's time limit passes first.

A non-finite state is never clipped: the integrator stops and :func:`simulate` raises.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from governor._jit import released
from governor.model import (
    A_EXMARGIN,
    A_TIMELEFT,
    A_TOLMARGIN,
    A_V,
    N_AUX,
    N_STATE,
    TC,
    S,
    X,
    evaluate,
)
from governor.physiology.thermal import CRITICAL_CORE_C

RUNNING, FINISHED, EXHAUSTED, STOPPED, TIME_LIMIT, NUMERICAL_ERROR, HYPERTHERMIA = range(7)
STATUS_NAMES = {
    FINISHED: "finished",
    EXHAUSTED: "exhausted",
    STOPPED: "stopped",
    TIME_LIMIT: "time limit",
    NUMERICAL_ERROR: "numerical error",
    HYPERTHERMIA: "hyperthermia",
}


@njit(cache=True, error_model="numpy", _nrt=False)
def _check_end(p, t, y_old, y_new, aux, v_settle):
    """Ending rule after a step, for the packed scalars ``p``; returns (status, fraction
    of the step at which it ended)."""
    for i in range(y_new.size):
        if not math.isfinite(y_new[i]):
            return NUMERICAL_ERROR, 1.0
    hot = y_new[TC] >= CRITICAL_CORE_C
    f_hot = 1.0
    if hot:
        dc = y_new[TC] - y_old[TC]
        f_hot = min(max((CRITICAL_CORE_C - y_old[TC]) / dc if dc > 0.0 else 1.0, 0.0), 1.0)
    if p[X.ends_on_distance] > 0.5:
        dist = p[X.target_distance_m]
        if y_new[S] >= dist:
            ds = y_new[S] - y_old[S]
            f = min(max((dist - y_old[S]) / ds if ds > 0.0 else 1.0, 0.0), 1.0)
            if not hot or f <= f_hot:
                return FINISHED, f
    if hot:
        return HYPERTHERMIA, f_hot
    if p[X.ends_on_exhaustion] > 0.5 and aux[A_EXMARGIN] < 0.0:
        return EXHAUSTED, 1.0
    if p[X.ends_on_tolerance] > 0.5 and (aux[A_TOLMARGIN] < 0.0 or aux[A_TIMELEFT] < 0.0):
        return STOPPED, 1.0
    if (p[X.ends_on_speed_floor] > 0.5 and t > p[X.settle_s] and v_settle > 0.0
            and aux[A_V] < p[X.stop_fraction] * v_settle):
        return STOPPED, 1.0
    if t >= p[X.natural_end_s] - 1e-9:
        return FINISHED, 1.0
    if t >= p[X.limit_s] - 1e-9:
        return TIME_LIMIT, 1.0
    return RUNNING, 1.0


@released
def integrate_rk4(y0, dt, inp, out_t, out_y, out_aux):
    """Classical fourth-order Runge-Kutta at a fixed step ``dt`` [s] on the packed inputs
    ``inp`` (:class:`governor.model.Inputs`), writing each step's time, state and observed
    row. Steps land on every break (a change of feedback, the end of a schedule's part);
    the last step is shortened to land on a fixed end time, and a race's last row is
    interpolated to the finish line. Returns (rows, status)."""
    n = y0.size
    k1 = np.empty(n)
    k2 = np.empty(n)
    k3 = np.empty(n)
    k4 = np.empty(n)
    tmp = np.empty(n)
    aux = np.empty(N_AUX)
    y = y0.copy()
    t = 0.0
    p = inp.scalars
    end_s = min(p[X.limit_s], p[X.natural_end_s])
    watch_speed = p[X.ends_on_speed_floor] > 0.5
    evaluate(t, y, inp, k1, aux)
    out_t[0] = t
    for i in range(n):
        out_y[0, i] = y[i]
    for i in range(N_AUX):
        out_aux[0, i] = aux[i]
    v_settle = -1.0
    rows = 1
    max_rows = out_t.size
    status = RUNNING
    while rows < max_rows:
        h = min(dt, end_s - t)
        for tb in inp.breaks:
            if t + 1e-9 < tb < t + h:
                h = tb - t
        if h <= 1e-12:
            h = dt
        # k1 holds the derivative at (t, y)
        for i in range(n):
            tmp[i] = y[i] + 0.5 * h * k1[i]
        evaluate(t + 0.5 * h, tmp, inp, k2, aux)
        for i in range(n):
            tmp[i] = y[i] + 0.5 * h * k2[i]
        evaluate(t + 0.5 * h, tmp, inp, k3, aux)
        for i in range(n):
            tmp[i] = y[i] + h * k3[i]
        # the last stage sees the inputs in force just before the step's end
        evaluate(t + h * (1.0 - 1e-12), tmp, inp, k4, aux)
        for i in range(n):
            tmp[i] = y[i] + h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
        t_new = t + h
        evaluate(t_new, tmp, inp, k1, aux)
        if watch_speed and v_settle < 0.0 and t_new >= p[X.settle_s]:
            v_settle = aux[A_V]
        status, frac = _check_end(p, t_new, y, tmp, aux, v_settle)
        if frac < 1.0:
            # interpolate the last row to the finish line (or to the critical core)
            t_new = t + frac * h
            for i in range(n):
                tmp[i] = y[i] + frac * (tmp[i] - y[i])
            evaluate(t_new, tmp, inp, k1, aux)
        out_t[rows] = t_new
        for i in range(n):
            out_y[rows, i] = tmp[i]
        for i in range(N_AUX):
            out_aux[rows, i] = aux[i]
        rows += 1
        for i in range(n):
            y[i] = tmp[i]
        t = t_new
        if status != RUNNING:
            break
    if status == RUNNING:
        status = TIME_LIMIT
    return rows, status


def run_compiled(y0, dt, inputs):
    """Run :func:`integrate_rk4` on packed ``inputs``; returns (t, y, aux, status)."""
    max_rows = int(math.ceil(inputs.scalars[X.limit_s] / dt)) + 3
    out_t = np.empty(max_rows)
    out_y = np.empty((max_rows, N_STATE))
    out_aux = np.empty((max_rows, N_AUX))
    rows, status = integrate_rk4(y0, float(dt), inputs, out_t, out_y, out_aux)
    return out_t[:rows], out_y[:rows], out_aux[:rows], int(status)


def observe(t, y, inputs):
    """Observed rows at given times and states (the same :func:`evaluate`)."""
    aux = np.empty((t.size, N_AUX))
    dy = np.empty(N_STATE)
    for i in range(t.size):
        evaluate(float(t[i]), np.ascontiguousarray(y[i]), inputs, dy, aux[i])
    return aux


def run_scipy(y0, dt, inputs, *, method="RK45", rtol=1e-6, atol=1e-6):
    """Integrate the same right-hand side with :func:`scipy.integrate.solve_ivp`.

    The reference path: adaptive steps to ``rtol``/``atol``, never longer than ``dt`` (both
    paths resolve the same time scale, 1 s by default), output on the same ``dt`` grid,
    and the same ending rules as events (a speed floor in two legs: to the settling time,
    then on with a speed event). Returns (t, y, aux, status).
    """
    from scipy.integrate import solve_ivp

    p = inputs.scalars
    dy = np.empty(N_STATE)
    aux = np.empty(N_AUX)

    def fun(t, y):
        out = np.empty(N_STATE)
        evaluate(t, np.ascontiguousarray(y), inputs, out, aux)
        return out

    def aux_at(t, y):
        evaluate(t, np.ascontiguousarray(y), inputs, dy, aux)
        return aux

    def event(fn, direction):
        fn.terminal = True
        fn.direction = direction
        return fn

    events = []
    if p[X.ends_on_distance] > 0.5:
        events.append((event(lambda t, y: y[S] - p[X.target_distance_m], 1), FINISHED))
    if p[X.ends_on_exhaustion] > 0.5:
        events.append((event(lambda t, y: aux_at(t, y)[A_EXMARGIN], -1), EXHAUSTED))
    if p[X.ends_on_tolerance] > 0.5 and p[X.governed] > 0.5:
        events.append((event(lambda t, y: aux_at(t, y)[A_TOLMARGIN], -1), STOPPED))
        events.append((event(lambda t, y: aux_at(t, y)[A_TIMELEFT], -1), STOPPED))
    events.append((event(lambda t, y: y[TC] - CRITICAL_CORE_C, 1), HYPERTHERMIA))

    end_s = min(p[X.limit_s], p[X.natural_end_s])
    floor = p[X.ends_on_speed_floor] > 0.5 and p[X.settle_s] < end_s
    legs = [(0.0, p[X.settle_s]), (p[X.settle_s], end_s)] if floor else [(0.0, end_s)]
    ts, ys = [], []
    y_start = np.asarray(y0, dtype=float)
    status = RUNNING
    for leg, (t0, t1) in enumerate(legs):
        leg_events = events
        if floor and leg == 1:
            floor_mps = p[X.stop_fraction] * aux_at(t0, y_start)[A_V]
            slow = event(lambda t, y, floor_mps=floor_mps: aux_at(t, y)[A_V] - floor_mps, -1)
            leg_events = [(slow, STOPPED)] + events
        evs = [fn for fn, _ in leg_events]
        grid = np.arange(t0, t1, dt)
        if grid.size == 0 or grid[-1] < t1 - 1e-9:
            grid = np.append(grid, t1)
        sol = solve_ivp(fun, (t0, t1), y_start, method=method, t_eval=grid, events=evs,
                        rtol=rtol, atol=atol, max_step=dt)
        if not sol.success:
            return np.array([0.0]), y_start[None, :], aux_at(0.0, y_start)[None, :].copy(), \
                NUMERICAL_ERROR
        t_leg, y_leg = sol.t, sol.y.T
        hit = None
        for j, ev_t in enumerate(sol.t_events or []):
            if ev_t.size:
                hit = j
                t_leg = np.append(t_leg[t_leg < ev_t[0]], ev_t[0])
                y_leg = np.vstack([y_leg[: t_leg.size - 1], sol.y_events[j][0]])
                break
        if leg > 0:
            t_leg, y_leg = t_leg[1:], y_leg[1:]
        ts.append(t_leg)
        ys.append(y_leg)
        if hit is not None:
            status = leg_events[hit][1]
            break
        y_start = y_leg[-1]
    t = np.concatenate(ts)
    y = np.vstack(ys)
    if status == RUNNING:
        status = FINISHED if p[X.natural_end_s] <= p[X.limit_s] else TIME_LIMIT
    if not np.all(np.isfinite(y)):
        status = NUMERICAL_ERROR
    return t, y, observe(t, y, inputs), status
