"""simulate(): run the model for a protocol in a scenario, and the Simulation it returns."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cached_property

import numpy as np
import pandas as pd

from governor.model import AUX_NAMES, STATE_NAMES, initial_state, pack
from governor.params import Params
from governor.scenario import (
    Course,
    Environment,
    Feedback,
    FixedRPE,
    Modifiers,
    Race,
    TimeToExhaustion,
    TimeTrial,
    Training,
)
from governor.solver import NUMERICAL_ERROR, STATUS_NAMES, run_compiled, run_scipy

PROTOCOL_TYPES = (Race, TimeTrial, TimeToExhaustion, FixedRPE, Training)
# the defaults, built once (they are frozen values)
_FLAT = Course()
_STILL_20C = Environment()
_TRUTHFUL = Feedback()
_UNMODIFIED = Modifiers()


class Simulation:
    """The result of :func:`simulate`.

    Attributes
    ----------
    trace
        DataFrame indexed by ``time_s`` [s] with the states (``distance_m``, ``reserve_m``,
        ``core_temp_c``, ``skin_temp_c``, ``rpe``, ``heart_rate_bpm``, ...), the observed
        quantities (``speed_mps``, ``recruitment``, ``hazard_score``,
        ``believed_remaining_distance_m``, ``believed_elapsed_s``, ``told_temp_c``, the
        governor's three limits ``reserve_feasible_mps``, ``thermal_feasible_mps``,
        ``perceptual_mps``) and ``pace_s_per_km``. Built on first access.
    status
        ``"finished"``, ``"exhausted"``, ``"stopped"``, ``"hyperthermia"`` (the true core
        reached the critical thermal maximum) or ``"time limit"``.
    time_s, states, observed
        The arrays behind the trace: times [s] (n,), states (n, len(STATE_NAMES)) and
        observed quantities (n, len(OBSERVED_NAMES)); :meth:`column` reads one by name.
    params, protocol, course, environment, feedback, modifiers, solver
        What was simulated (unchanged inputs).
    extras
        Extra results: ``baseline_finish_time_s`` of the pacer's model race.
    """

    #: Names of the columns of :attr:`states` and of :attr:`observed`.
    STATE_NAMES = STATE_NAMES
    OBSERVED_NAMES = AUX_NAMES

    def __init__(self, time_s, states, observed, status, params, protocol, course,
                 environment, feedback, modifiers, solver, extras=None):
        self.time_s = time_s
        self.states = states
        self.observed = observed
        self.status = status
        self.params = params
        self.protocol = protocol
        self.course = course
        self.environment = environment
        self.feedback = feedback
        self.modifiers = modifiers
        self.solver = solver
        self.extras = extras or {}

    def column(self, name: str) -> np.ndarray:
        """One state or observed quantity by name (``"time_s"``, ``"heart_rate_bpm"``,
        ``"speed_mps"``, ...), without building the trace."""
        if name == "time_s":
            return self.time_s
        if name in STATE_NAMES:
            return self.states[:, STATE_NAMES.index(name)]
        if name in AUX_NAMES:
            return self.observed[:, AUX_NAMES.index(name)]
        raise KeyError(f"{name!r} is neither a state nor an observed quantity; states: "
                       f"{', '.join(STATE_NAMES)}; observed: {', '.join(AUX_NAMES)}")

    @cached_property
    def trace(self) -> pd.DataFrame:
        trace = pd.DataFrame(np.column_stack([self.states, self.observed]),
                             index=pd.Index(self.time_s, name="time_s"),
                             columns=list(STATE_NAMES) + list(AUX_NAMES))
        speed = trace["speed_mps"].to_numpy()
        with np.errstate(divide="ignore"):
            trace["pace_s_per_km"] = np.where(speed > 0.05, 1000.0 / np.maximum(speed, 0.05),
                                              np.inf)
        return trace

    @property
    def finish_time_s(self) -> float:
        """Time the effort ended [s] (the finish line, exhaustion, stop or limit)."""
        return float(self.time_s[-1])

    @property
    def distance_m(self) -> float:
        """True distance covered [m]."""
        return float(self.column("distance_m")[-1])

    def split_times_s(self, every_m: float = 1000.0) -> pd.Series:
        """Time of each split of ``every_m`` metres [s], indexed by split end [m]; the last,
        partial split is included when the effort ended past its start."""
        d = self.trace["distance_m"].to_numpy()
        t = self.trace.index.to_numpy()
        marks = np.arange(every_m, d[-1] + 1e-6, every_m)
        if marks.size == 0 or marks[-1] < d[-1] - 1e-6:
            marks = np.append(marks, d[-1])
        cum = np.interp(marks, d, t)
        return pd.Series(np.diff(np.concatenate([[0.0], cum])), index=marks,
                         name="split_s")

    def summary(self) -> dict:
        """A flat dict of plain values: status, time, distance, mean speed, first and last
        km, end spurt, reserve left, peak core temperature, final RPE."""
        tr = self.trace
        out = {
            "protocol": type(self.protocol).__name__,
            "status": self.status,
            "finish_time_s": self.finish_time_s,
            "distance_m": self.distance_m,
            "mean_speed_mps": self.distance_m / max(self.finish_time_s, 1e-9),
            "peak_core_temp_c": float(tr["core_temp_c"].max()),
            "final_rpe": float(tr["rpe"].iloc[-1]),
            "reserve_left_m": float(tr["reserve_m"].iloc[-1]),
            "reserve_left_fraction": float(tr["reserve_m"].iloc[-1] / self.params.d_prime_m),
            "peak_heart_rate_bpm": float(tr["heart_rate_bpm"].max()),
        }
        if self.distance_m >= 2000.0:
            splits = self.split_times_s(1000.0)
            full = splits[splits.index % 1000.0 < 1e-6]
            out["first_km_s"] = float(full.iloc[0])
            out["last_km_s"] = float(full.iloc[-1])
            mean_km = float(full.mean())
            out["mean_km_s"] = mean_km
            # end spurt: how much faster the last km is than the mean km [%]
            out["end_spurt_pct"] = 100.0 * (mean_km / out["last_km_s"] - 1.0)
        return out

    def __repr__(self) -> str:
        s = self.summary()
        return (f"Simulation({s['protocol']}, {s['status']}, {s['finish_time_s']:.1f} s, "
                f"{s['distance_m']:.0f} m)")


def _validate(params, protocol, course, environment, feedback, modifiers, dt, solver):
    if not isinstance(params, Params):
        raise ValueError(f"params must be a governor.Params, got {type(params).__name__}")
    if not isinstance(protocol, PROTOCOL_TYPES):
        raise ValueError(
            f"protocol must be one of {', '.join(t.__name__ for t in PROTOCOL_TYPES)}; "
            f"got {type(protocol).__name__}"
        )
    for obj, cls, name in ((course, Course, "course"), (environment, Environment, "environment"),
                           (feedback, Feedback, "feedback"), (modifiers, Modifiers, "modifiers")):
        if not isinstance(obj, cls):
            raise ValueError(f"{name} must be a governor.{cls.__name__}")
    if not (isinstance(dt, int | float) and math.isfinite(dt) and 0.01 <= dt <= 10.0):
        raise ValueError(f"dt must be between 0.01 and 10 s, got {dt!r}")
    if solver not in ("compiled", "scipy"):
        raise ValueError(f"solver must be 'compiled' or 'scipy', got {solver!r}")
    protocol.check(feedback, modifiers)


def simulate(
    params: Params,
    protocol,
    *,
    course: Course | None = None,
    environment: Environment | None = None,
    feedback: Feedback | None = None,
    modifiers: Modifiers | None = None,
    dt: float = 1.0,
    solver: str = "compiled",
    after: Simulation | None = None,
) -> Simulation:
    """Simulate a runner through a protocol.

    Parameters
    ----------
    params
        The runner (:class:`Params`, e.g. :data:`governor.TRAINED`).
    protocol
        :class:`Race`, :class:`TimeTrial`, :class:`TimeToExhaustion`, :class:`FixedRPE` or
        :class:`Training`.
    course, environment, feedback, modifiers
        The truth (course, air), what the runner is told, and their state of mind; default
        flat, 20 degC / 50 % / still, truthful, unmodified.
    dt
        Step of the compiled integrator and of the trace [s].
    solver
        ``"compiled"`` (fixed-step RK4, numba) or ``"scipy"`` (the same right-hand side
        through :func:`scipy.integrate.solve_ivp`, a reference).
    after
        A simulation this one follows at once (a warm-up, a preload before a time trial):
        the body starts where it ended (reserve, core and skin temperature, heart rate,
        durability load, recruitment and perceived exertion), the beliefs afresh
        (distance and clock at zero, the plan made for this protocol). Times and
        distances count from this start.

    Returns
    -------
    Simulation
        With ``.trace``, ``.finish_time_s``, ``.distance_m``, ``.status``, ``.summary()``.

    Raises
    ------
    ValueError
        For an invalid scenario (the message says which part and why).
    RuntimeError
        If the integration produced a non-finite state (never silently clipped).
    """
    course = course if course is not None else _FLAT
    environment = environment if environment is not None else _STILL_20C
    feedback = feedback if feedback is not None else _TRUTHFUL
    modifiers = modifiers if modifiers is not None else _UNMODIFIED
    _validate(params, protocol, course, environment, feedback, modifiers, dt, solver)

    pacer = None
    extras: dict = {}
    if feedback.pacer_factor is not None:
        # the pacer replays the runner's own best (this race without the pacer), sped up
        baseline = simulate(params, protocol, course=course, environment=environment,
                            feedback=replace(feedback, pacer_factor=None),
                            modifiers=modifiers, dt=dt, solver=solver, after=after)
        pacer = (baseline.time_s / feedback.pacer_factor, baseline.column("distance_m"))
        extras["baseline_finish_time_s"] = baseline.finish_time_s

    inputs = pack(params, protocol, course, environment, feedback, modifiers, pacer)
    carried = None
    if after is not None:
        if not isinstance(after, Simulation):
            raise ValueError("after must be a governor.Simulation (the effort this one "
                             f"follows), got {type(after).__name__}")
        if after.params != params:
            raise ValueError("after: the simulation it follows must be of the same runner "
                             "(the same Params)")
        carried = after.states[-1]
    y0 = initial_state(params, environment, inputs, carried=carried)
    runner = run_compiled if solver == "compiled" else run_scipy
    t, y, aux, status = runner(y0, dt, inputs)
    if status == NUMERICAL_ERROR:
        raise RuntimeError(
            f"the integration produced a non-finite state near t = {t[-1]:.1f} s "
            f"({type(protocol).__name__}, solver={solver}, dt={dt}); try a smaller dt"
        )
    return Simulation(t, y, aux, STATUS_NAMES[status], params, protocol, course, environment,
                      feedback, modifiers, solver, extras)
