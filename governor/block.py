"""Training blocks: sessions chained over days, with experience and residual fatigue.

A block is a plan of one session (or rest) a day. Each session is simulated with
:func:`governor.simulate`; between sessions two things carry over, neither of them a change to
the model's equations, only to its inputs:

**Experience** ("training educates the governor", ``docs/model.md``). :class:`Modifiers`
``experience`` is the number of previous maximal efforts of similar length. In a block every
maximal effort (a :class:`Race`, :class:`TimeTrial` or :class:`TimeToExhaustion`) adds one to
the experience of its *effort*, a label naming which efforts count as "similar" (by default
the protocol and its length, e.g. ``"Race 4000 m"``; give a :class:`Session` its own
``effort`` to group efforts differently). Experience is never lost: it persists over rest
days. Submaximal sessions (:class:`Training`, :class:`FixedRPE`) neither add to it nor use it:
they are simulated with their own modifiers' experience (by default practised).

**Residual fatigue and fitness** (the impulse-response model of Banister et al. 1975, with the
training-dependent fatigue gain of Busso 2003). Each session's training impulse ``w_i``
[AU] is Banister's heart-rate TRIMP of the simulated session (:func:`trimp_au`). Day by
day (``Δ`` = 1 d), with ``n`` the day and sums over earlier days ``i < n``:

.. math::

    g(n) = \\sum_{i<n} w_i e^{-(n-i)/\\tau_1}, \\qquad
    h(n) = \\sum_{i<n} \\mu_i w_i e^{-(n-i)/\\tau_2}, \\qquad
    \\mu_i = 1 + \\kappa \\sum_{j \\le i} w_j e^{-(i-j)/\\tau_3}

``g`` is fitness and ``h`` fatigue [AU]. ``μ_i`` is Busso's variable fatigue gain (relative
to Banister's constant one): the same session tires more when the days before it were
loaded; ``κ = 0`` is the Banister model. Before day 0 the runner trained at their habitual
daily load ``H`` (:attr:`TrainingResponse.habitual_load_au`; ``w_i = H`` for ``i < 0``), so
the block starts in that steady state ``(g_H, h_H)``, which is the runner :class:`Params`
describe. The fractional change of critical speed and the perceived-effort offset on day
``n`` are measured from it:

.. math::

    \\Delta_{CS}(n) = k_1 (g(n) - g_H) - k_2 (h(n) - h_H), \\qquad
    CS(n) = CS_0 \\,(1 + \\Delta_{CS}(n)), \\qquad
    m(n) = c_P\\, (h(n) - h_H)

Day ``n``'s session is simulated with ``Params.critical_speed_mps = CS(n)`` (the body is
fitter or more tired; an educated governor plans with its true critical speed, so it knows)
and ``Modifiers.mental_fatigue`` raised by ``m(n)`` [CR10] (the same work feels harder;
lowered, it feels easier than usual after rest; :mod:`governor.perception`). A session's own
load counts from the next day on. Training above the habitual load tires first and trains
later; rest below it freshens first and detrains later. The change of critical speed is
clipped to +-30 % (:data:`MAX_CS_CHANGE`), far outside what the linear model was fitted to.

The impulse is the heart-rate TRIMP, not Foster's session RPE x duration (Foster et al. 2001):
here residual fatigue raises perceived exertion itself, so an RPE-based load would count the
same session as more load when tired, feeding fatigue back on itself.

References
----------
Banister EW, Calvert TW, Savage MV, Bach T (1975). A systems model of training for athletic
performance. Aust J Sports Med 7:57-61.
Morton RH, Fitz-Clarke JR, Banister EW (1990). Modeling human performance in running.
J Appl Physiol 69:1171-1177.
Banister EW (1991). Modeling elite athletic performance. In: MacDougall JD, Wenger HA, Green
HJ (eds) Physiological Testing of the High-Performance Athlete. Human Kinetics, pp 403-424
(the heart-rate TRIMP).
Foster C, Florhaug JA, Franklin J, et al. (2001). A new approach to monitoring exercise
training. J Strength Cond Res 15:109-115.
Busso T (2003). Variable dose-response relationship between exercise training and
performance. Med Sci Sports Exerc 35:1188-1195.
Mujika I, Padilla S (2003). Scientific bases for precompetition tapering strategies. Med Sci
Sports Exerc 35:1182-1187.
Meeusen R, Duclos M, Foster C, et al. (2013). Prevention, diagnosis, and treatment of the
overtraining syndrome. Med Sci Sports Exerc 45:186-205.
Mauger AR, Jones AM, Williams CA (2009). Influence of feedback and prior experience on pacing
during a 4-km cycle time trial. Med Sci Sports Exerc 41:451-458.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from governor.params import Params, _p, check_bounds, parameter_table
from governor.scenario import (
    Course,
    Environment,
    Feedback,
    Modifiers,
)
from governor.simulate import PROTOCOL_TYPES, Simulation, simulate

#: Protocols that are maximal efforts, and so add to the experience of their effort.
MAXIMAL_PROTOCOLS = tuple(t for t in PROTOCOL_TYPES if t.maximal)
#: Largest fractional change of critical speed the impulse-response model may make [-].
MAX_CS_CHANGE = 0.3
#: Limits of :class:`Modifiers` ``mental_fatigue`` [CR10]; the day's offset is clipped to them.
_MENTAL_FATIGUE_RANGE = (-3.0, 5.0)


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class TrainingResponse:
    """How training loads turn into fitness, residual fatigue and perceived effort.

    Every field carries its unit, bounds, meaning, source and identifiability class in its
    metadata, as :class:`governor.Params` does (:meth:`table`). Out-of-bounds values raise
    ``ValueError``. The gains are per arbitrary unit (AU) of Banister's heart-rate TRIMP, so
    they go with :func:`trimp_au`'s weighting.
    """

    habitual_load_au: float = _p(
        60.0, "AU/d", 0.0, 300.0,
        "daily load the runner is used to: Params describe the runner in its steady state, "
        "and a block starts there and measures its effects from there",
        "our choice: a trained club runner running most days with one or two hard sessions "
        "a week (~400 AU a week of this model's TRIMP)",
        "several_logs",
    )
    fitness_tau_d: float = _p(
        42.0, "d", 10.0, 100.0,
        "time constant of the fitness component tau_1",
        "Banister et al. 1975; the conventional 42 d (fitted values vary between athletes, "
        "Morton et al. 1990; Busso 2003)",
        "several_logs",
    )
    fatigue_tau_d: float = _p(
        7.0, "d", 1.0, 30.0,
        "time constant of the fatigue component tau_2",
        "Banister et al. 1975; the conventional 7 d (fitted values vary between athletes, "
        "Morton et al. 1990; Busso 2003)",
        "several_logs",
    )
    fitness_gain_per_au: float = _p(
        7.7e-5, "1/AU", 0.0, 1e-3,
        "k_1: fractional rise of critical speed per AU of fitness",
        "our choice, with k_2 and kappa, for this model's TRIMP (a hard interval session of "
        "TRAINED ~100 AU) and the habitual 60 AU/d: one hard session lowers next-day CS "
        "~0.5 %, a week of them ~3 % (functional overreaching: performance down a few "
        "percent, Meeusen et al. 2013), a week of rest after that leaves CS ~2 % above the "
        "start (taper gains, Mujika & Padilla 2003), and 120 AU/d held for months settles "
        "~5 % above 60 AU/d",
        "several_logs",
    )
    fatigue_gain_per_au: float = _p(
        1.3e-4, "1/AU", 0.0, 2e-3,
        "k_2: fractional fall of critical speed per AU of fatigue (before Busso's growth mu)",
        "our choice, see fitness_gain_per_au; k_2 > k_1, so a session tires before it trains "
        "(Banister et al. 1975; Morton et al. 1990)",
        "several_logs",
    )
    fatigue_growth_per_au: float = _p(
        2.7e-3, "1/AU", 0.0, 0.02,
        "kappa: relative rise of the fatigue a session leaves, per AU of recent load W_3",
        "Busso 2003 (the fatigue gain grows with recent training, giving an inverted-U "
        "relation of daily load to performance); value our choice: the settled optimum lies "
        "near 150 AU a day for TRAINED, beyond which more load does harm",
        "several_logs",
    )
    fatigue_growth_tau_d: float = _p(
        3.0, "d", 0.5, 15.0,
        "tau_3: time constant of the recent load W_3 that raises the fatigue gain",
        "Busso 2003 (fitted per athlete); our choice: the load of the last few days counts",
        "several_logs",
    )
    fatigue_rpe_per_au: float = _p(
        1.6e-3, "CR10/AU", 0.0, 0.01,
        "c_P: perceived-effort offset per AU of fatigue above the habitual (added to "
        "mental_fatigue; negative when fresher than usual)",
        "our choice: about +0.6 CR10 for the same work after a week of daily hard sessions; "
        "perceived effort for the same work rises in overreaching (Meeusen et al. 2013)",
        "several_logs",
    )
    trimp_weight: float = _p(
        0.64, "-", 0.3, 1.5,
        "a in TRIMP = minutes x x_HR x a exp(b x_HR), x_HR the fraction of heart-rate reserve",
        "Banister 1991; Morton et al. 1990 (men 0.64, women 0.86)",
        "literature",
    )
    trimp_exponent: float = _p(
        1.92, "-", 1.0, 3.0,
        "b in TRIMP = minutes x x_HR x a exp(b x_HR): the weight of high heart rates",
        "Banister 1991; Morton et al. 1990 (men 1.92, women 1.67)",
        "literature",
    )

    def __post_init__(self) -> None:
        check_bounds(self)

    def replace(self, **changes) -> TrainingResponse:
        """A copy with some fields changed (validated)."""
        return dataclasses.replace(self, **changes)

    def table(self) -> pd.DataFrame:
        """All fields as a DataFrame: value, default, unit, bounds, meaning, source and
        identifiability class, indexed by name (as :meth:`governor.Params.table`)."""
        return parameter_table(self)


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Session:
    """One day's session in a block: a protocol and its scenario.

    Parameters
    ----------
    protocol
        :class:`Race`, :class:`TimeTrial`, :class:`TimeToExhaustion`, :class:`FixedRPE` or
        :class:`Training`.
    course, environment, feedback
        As in :func:`governor.simulate` (default flat, 20 degC, truthful).
    modifiers
        The runner's state of mind for this session. For a maximal effort its ``experience``
        is replaced by the block's count for the session's effort (a submaximal session keeps
        its own, by default a practised 10); the day's residual-fatigue offset is added to
        its ``mental_fatigue``.
    effort
        Label of the efforts that count as "similar" for experience; default
        :func:`effort_label` of the protocol (e.g. ``"Race 4000 m"``).
    """

    protocol: object
    course: Course | None = None
    environment: Environment | None = None
    feedback: Feedback | None = None
    modifiers: Modifiers | None = None
    effort: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.protocol, PROTOCOL_TYPES):
            raise ValueError(
                f"Session.protocol must be one of "
                f"{', '.join(t.__name__ for t in PROTOCOL_TYPES)}; "
                f"got {type(self.protocol).__name__}"
            )
        for obj, cls, name in ((self.course, Course, "course"),
                               (self.environment, Environment, "environment"),
                               (self.feedback, Feedback, "feedback"),
                               (self.modifiers, Modifiers, "modifiers")):
            if obj is not None and not isinstance(obj, cls):
                raise ValueError(f"Session.{name} must be a governor.{cls.__name__} or None")
        if self.effort is None:
            object.__setattr__(self, "effort", effort_label(self.protocol))
        elif not isinstance(self.effort, str) or not self.effort:
            raise ValueError("Session.effort must be a non-empty string")

    @property
    def maximal(self) -> bool:
        """True for a maximal effort (race, time trial, time to exhaustion)."""
        return self.protocol.maximal


def effort_label(protocol) -> str:
    """The default effort label of a protocol: its kind and length, e.g. ``"Race 4000 m"``,
    ``"TimeTrial 1800 s"``, ``"TimeToExhaustion 5.5 m/s"``, ``"FixedRPE 6"``,
    ``"Training"``."""
    if not isinstance(protocol, PROTOCOL_TYPES):
        raise ValueError(f"not a protocol: {type(protocol).__name__}")
    return protocol.label


# ----------------------------------------------------------------------------------------
def trimp_au(heart_rate_bpm, time_s, heart_rate_rest_bpm: float, heart_rate_max_bpm: float,
             response: TrainingResponse | None = None) -> float:
    """Banister's training impulse of a session [AU].

    ``TRIMP = sum over the session of dt [min] x x a exp(b x)``, with
    ``x = (HR - HR_rest)/(HR_max - HR_rest)`` clipped to [0, 1] and ``a``, ``b`` from
    ``response`` (:attr:`TrainingResponse.trimp_weight`, ``trimp_exponent``). Each sample's
    heart rate counts over the interval that ends at it (the first sample's interval starts at
    0 s).

    Parameters
    ----------
    heart_rate_bpm
        Heart rate [bpm] at each time.
    time_s
        Times [s], increasing, starting at or after 0.
    heart_rate_rest_bpm, heart_rate_max_bpm
        The runner's resting and maximal heart rate [bpm].
    response
        The weighting (default :class:`TrainingResponse`).

    References
    ----------
    Banister EW (1991); Morton RH, Fitz-Clarke JR, Banister EW (1990).
    """
    response = TrainingResponse() if response is None else response
    hr = np.asarray(heart_rate_bpm, dtype=float).ravel()
    t = np.asarray(time_s, dtype=float).ravel()
    if hr.size != t.size:
        raise ValueError("trimp_au: heart_rate_bpm and time_s must have the same length")
    if hr.size == 0:
        return 0.0
    if not (np.all(np.isfinite(hr)) and np.all(np.isfinite(t))):
        raise ValueError("trimp_au: heart rates and times must be finite")
    if t[0] < 0.0 or np.any(np.diff(t) <= 0.0):
        raise ValueError("trimp_au: time_s must start at or after 0 and strictly increase")
    if not heart_rate_max_bpm > heart_rate_rest_bpm:
        raise ValueError("trimp_au: heart_rate_max_bpm must exceed heart_rate_rest_bpm")
    x = np.clip((hr - heart_rate_rest_bpm) / (heart_rate_max_bpm - heart_rate_rest_bpm),
                0.0, 1.0)
    dt_min = np.diff(t, prepend=0.0) / 60.0
    weight = response.trimp_weight * np.exp(response.trimp_exponent * x)
    return float(np.sum(dt_min * x * weight))


def session_trimp_au(sim: Simulation, response: TrainingResponse | None = None) -> float:
    """Banister's TRIMP [AU] of a simulated session, from its heart-rate trace and the
    runner's resting and maximal heart rates."""
    tr = sim.trace
    return trimp_au(tr["heart_rate_bpm"].to_numpy(), tr.index.to_numpy(),
                    sim.params.heart_rate_rest_bpm, sim.params.heart_rate_max_bpm, response)


# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _ImpulseState:
    """Fitness g and fatigue h [AU] at the start of a day, and Busso's recent load W3 [AU]
    at the end of the day before."""

    fitness_au: float
    fatigue_au: float
    recent_load_au: float


def _habitual_state(r: TrainingResponse) -> _ImpulseState:
    """The steady state of the habitual daily load H: g = H q1/(1 - q1),
    W3 = H/(1 - q3), h = (1 + kappa W3) H q2/(1 - q2), with q = exp(-1 d/tau)."""
    h_load = r.habitual_load_au
    q1 = math.exp(-1.0 / r.fitness_tau_d)
    q2 = math.exp(-1.0 / r.fatigue_tau_d)
    recent = h_load / (1.0 - math.exp(-1.0 / r.fatigue_growth_tau_d))
    mu = 1.0 + r.fatigue_growth_per_au * recent
    return _ImpulseState(h_load * q1 / (1.0 - q1), mu * h_load * q2 / (1.0 - q2), recent)


def _fatigue_gain(state: _ImpulseState, load_au: float, r: TrainingResponse) -> tuple:
    """(mu, W3 including today's load): Busso's relative fatigue gain of today's load."""
    recent = state.recent_load_au * math.exp(-1.0 / r.fatigue_growth_tau_d) + load_au
    return 1.0 + r.fatigue_growth_per_au * recent, recent


def _next_day(state: _ImpulseState, load_au: float, r: TrainingResponse) -> _ImpulseState:
    """The state at the start of tomorrow, after today's load ``load_au`` [AU]."""
    mu, recent = _fatigue_gain(state, load_au, r)
    return _ImpulseState(
        fitness_au=(state.fitness_au + load_au) * math.exp(-1.0 / r.fitness_tau_d),
        fatigue_au=(state.fatigue_au + mu * load_au) * math.exp(-1.0 / r.fatigue_tau_d),
        recent_load_au=recent,
    )


def _day_effects(state: _ImpulseState, baseline: _ImpulseState,
                 r: TrainingResponse) -> tuple[float, float, float]:
    """(fractional change of CS, the same clipped to +-MAX_CS_CHANGE, RPE offset [CR10]),
    measured from the habitual steady state ``baseline``."""
    dg = state.fitness_au - baseline.fitness_au
    dh = state.fatigue_au - baseline.fatigue_au
    change = r.fitness_gain_per_au * dg - r.fatigue_gain_per_au * dh
    clipped = min(max(change, -MAX_CS_CHANGE), MAX_CS_CHANGE)
    return change, clipped, r.fatigue_rpe_per_au * dh


def impulse_response(loads_au: Sequence[float],
                     response: TrainingResponse | None = None) -> pd.DataFrame:
    """Fitness, fatigue and their effects, day by day, for a sequence of daily loads.

    The arithmetic of :func:`simulate_block`, without the simulations: the loads are given.

    Parameters
    ----------
    loads_au
        Training impulse of each day [AU] (0 for rest), day 0 first.
    response
        The impulse-response parameters (default :class:`TrainingResponse`).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``day``; ``load_au`` (the day's load), and at the *start* of the day
        (before its load): ``fitness_au`` g, ``fatigue_au`` h, ``fatigue_gain`` (Busso's
        relative gain mu of the day's own load), ``performance_change``
        (k_1 (g - g_H) - k_2 (h - h_H), the fractional change of critical speed from the
        habitual steady state, unclipped) and ``rpe_offset_cr10`` (c_P (h - h_H)). Day 0
        starts in the steady state of :attr:`TrainingResponse.habitual_load_au`. Append a
        0 load to read the state after the last day.
    """
    response = TrainingResponse() if response is None else response
    if not isinstance(response, TrainingResponse):
        raise ValueError("response must be a governor TrainingResponse")
    loads = np.asarray(loads_au, dtype=float).ravel()
    if loads.size == 0:
        raise ValueError("impulse_response: loads_au is empty")
    if not np.all(np.isfinite(loads)) or np.any(loads < 0.0):
        raise ValueError("impulse_response: loads must be finite and non-negative")
    state = baseline = _habitual_state(response)
    rows = []
    for day, w in enumerate(loads):
        change, _, rpe_offset = _day_effects(state, baseline, response)
        mu, _ = _fatigue_gain(state, float(w), response)
        rows.append({"day": day, "load_au": float(w), "fitness_au": state.fitness_au,
                     "fatigue_au": state.fatigue_au, "fatigue_gain": mu,
                     "performance_change": change, "rpe_offset_cr10": rpe_offset})
        state = _next_day(state, float(w), response)
    return pd.DataFrame(rows).set_index("day")


# ----------------------------------------------------------------------------------------
_SESSION_COLUMNS = ("status", "finish_time_s", "distance_m", "mean_speed_mps", "mean_rpe",
                    "final_rpe", "mean_heart_rate_bpm", "reserve_left_fraction")


class Block:
    """The result of :func:`simulate_block`.

    Attributes
    ----------
    days
        DataFrame indexed by ``day`` (0 first), one row per day, rest days included:

        ``session`` (effort label, or ``"rest"``), ``maximal``, ``experience`` (the
        ``Modifiers.experience`` simulated: for a maximal effort, the previous maximal efforts
        of its effort; for a submaximal session, its own), ``load_au`` (the session's
        TRIMP; 0 on rest days); at the start of the day: ``fitness_au``, ``fatigue_au``,
        ``performance_change`` (k_1 (g - g_H) - k_2 (h - h_H), unclipped),
        ``effective_critical_speed_mps`` (the CS the session is simulated with),
        ``rpe_offset_cr10`` (c_P (h - h_H); the session's
        ``mental_fatigue`` is this plus its own); and of the session (NaN on rest days):
        ``status``, ``finish_time_s`` [s], ``distance_m`` [m], ``mean_speed_mps`` [m/s],
        ``mean_rpe`` and ``final_rpe`` [CR10], ``mean_heart_rate_bpm`` [bpm],
        ``reserve_left_fraction`` [-].
    simulations
        ``{day: Simulation}`` for every day with a session.
    experience
        ``{effort: count}`` after the last day, for every maximal effort in the plan.
    final_state
        ``{"fitness_au", "fatigue_au", "performance_change", "effective_critical_speed_mps",
        "rpe_offset_cr10"}`` at the start of the day after the block.
    params, response, sessions, dt
        What was simulated (unchanged inputs; ``sessions`` as :class:`Session` or None).
    """

    def __init__(self, days, simulations, final_state, params, response, sessions, dt,
                 experience_by_day, start_experience):
        self.days = days
        self.simulations = simulations
        self.final_state = final_state
        self.params = params
        self.response = response
        self.sessions = sessions
        self.dt = dt
        self._experience_by_day = experience_by_day
        self._start_experience = start_experience

    @property
    def experience(self) -> dict[str, float]:
        last = self._experience_by_day[-1]
        return {s.effort: last.get(s.effort, self._start_experience(s.effort))
                for s in self.sessions if s is not None and s.maximal}

    def simulate_day(self, day: int, session) -> Simulation:
        """What if the runner did ``session`` on ``day`` instead? Simulated with that day's
        critical speed, perceived-effort offset and experience; the block is unchanged.

        Parameters
        ----------
        day
            0 to ``len(days)``; ``len(days)`` is the day after the block.
        session
            A protocol or a :class:`Session`.
        """
        n = len(self.days)
        if isinstance(day, bool) or not isinstance(day, int | np.integer) or not 0 <= day <= n:
            raise ValueError(f"day must be an integer from 0 to {n}, got {day!r}")
        session = _as_session(session, day)
        if session is None:
            raise ValueError("simulate_day needs a session, not a rest day (None)")
        if day == n:
            cs = float(self.final_state["effective_critical_speed_mps"])
        else:
            cs = float(self.days["effective_critical_speed_mps"].iloc[day])
        experience = _experience_of(session, self._experience_by_day[day],
                                    self._start_experience)
        return _simulate_session(self.params, session, day, cs, self._offset(day), experience,
                                 self.dt)

    def what_if(self, session, days: Sequence[int] | None = None) -> pd.DataFrame:
        """The same session simulated on each day (see :meth:`simulate_day`): how the
        runner would have done that day, e.g. a race (readiness) or a fixed-pace session
        (how hard the same work feels).

        Parameters
        ----------
        session
            A protocol or a :class:`Session`.
        days
            Days to simulate; default every day and the day after the block.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``day``: ``experience``, ``effective_critical_speed_mps``,
            ``rpe_offset_cr10`` and the session columns of :attr:`days` (``status``,
            ``finish_time_s``, ``distance_m``, ``mean_speed_mps``, ``mean_rpe``,
            ``final_rpe``, ``mean_heart_rate_bpm``, ``reserve_left_fraction``).
        """
        days = range(len(self.days) + 1) if days is None else days
        rows = []
        for day in days:
            sim = self.simulate_day(day, session)
            row = {"day": int(day), "experience": sim.modifiers.experience,
                   "effective_critical_speed_mps": sim.params.critical_speed_mps,
                   "rpe_offset_cr10": self._offset(int(day))}
            row.update(_session_row(sim))
            rows.append(row)
        return pd.DataFrame(rows).set_index("day")

    def _offset(self, day: int) -> float:
        if day == len(self.days):
            return float(self.final_state["rpe_offset_cr10"])
        return float(self.days["rpe_offset_cr10"].iloc[day])

    def __repr__(self) -> str:
        n = len(self.days)
        rest = int((self.days["session"] == "rest").sum())
        return (f"Block({n} days, {n - rest} sessions, {rest} rest, "
                f"total load {self.days['load_au'].sum():.0f} AU)")


def _as_session(item, day: int) -> Session | None:
    if item is None:
        return None
    if isinstance(item, Session):
        return item
    if isinstance(item, PROTOCOL_TYPES):
        return Session(item)
    raise ValueError(
        f"sessions[{day}] must be None (rest), a Session or a protocol (Race, TimeTrial, "
        f"TimeToExhaustion, FixedRPE, Training); got {type(item).__name__}"
    )


def _experience_lookup(initial_experience):
    """A function effort -> starting experience, validated."""
    if isinstance(initial_experience, Mapping):
        table = {}
        for key, value in initial_experience.items():
            if not isinstance(key, str):
                raise ValueError("initial_experience keys must be effort labels (str)")
            table[key] = _check_experience(value, f"initial_experience[{key!r}]")
        return lambda effort: table.get(effort, 0.0)
    value = _check_experience(initial_experience, "initial_experience")
    return lambda effort: value


def _check_experience(value, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number of efforts, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(v) or v < 0.0 or v > 1000.0:
        raise ValueError(f"{name} = {value!r} must be within [0, 1000] efforts")
    return v


def _session_row(sim: Simulation) -> dict:
    """The per-session columns of a day's row."""
    tr = sim.trace
    return {
        "status": sim.status, "finish_time_s": sim.finish_time_s, "distance_m": sim.distance_m,
        "mean_speed_mps": sim.distance_m / max(sim.finish_time_s, 1e-9),
        "mean_rpe": float(tr["rpe"].mean()), "final_rpe": float(tr["rpe"].iloc[-1]),
        "mean_heart_rate_bpm": float(tr["heart_rate_bpm"].mean()),
        "reserve_left_fraction": float(tr["reserve_m"].iloc[-1] / sim.params.d_prime_m),
    }


def _experience_of(session: Session, counts: Mapping[str, float], start_experience) -> float:
    """The experience a session is simulated with: for a maximal effort, the maximal efforts
    of its effort so far; for a submaximal session, its own modifiers' (default: practised)."""
    if not session.maximal:
        base = session.modifiers if session.modifiers is not None else Modifiers()
        return float(base.experience)
    return counts.get(session.effort, start_experience(session.effort))


def _simulate_session(params: Params, session: Session, day: int, cs: float,
                      rpe_offset: float, experience: float, dt: float) -> Simulation:
    """One session with the day's critical speed [m/s], perceived-effort offset [CR10] and
    experience of its effort."""
    try:
        day_params = params.replace(critical_speed_mps=cs)
    except ValueError as exc:
        raise ValueError(
            f"day {day}: residual fatigue and fitness move critical speed to {cs:.3f} m/s, "
            f"outside what Params allows ({exc})"
        ) from None
    base = session.modifiers if session.modifiers is not None else Modifiers()
    lo, hi = _MENTAL_FATIGUE_RANGE
    mental = min(max(base.mental_fatigue + rpe_offset, lo), hi)
    modifiers = dataclasses.replace(base, experience=experience, mental_fatigue=mental)
    return simulate(day_params, session.protocol, course=session.course,
                    environment=session.environment, feedback=session.feedback,
                    modifiers=modifiers, dt=dt)


def simulate_block(
    params: Params,
    sessions: Sequence,
    *,
    response: TrainingResponse | None = None,
    initial_experience: float | Mapping[str, float] = Modifiers().experience,
    dt: float = 1.0,
) -> Block:
    """Simulate a block of training: one session (or rest) a day, with experience and
    residual fatigue carried from day to day.

    Day ``n``'s session is simulated with critical speed ``CS (1 + k_1 (g - g_H) - k_2 (h -
    h_H))`` and a perceived-effort offset ``c_P (h - h_H)`` from the fitness ``g`` and fatigue
    ``h`` left by the sessions before it, measured from the steady state ``(g_H, h_H)`` of the
    runner's habitual load (Banister et al. 1975; Busso 2003; see the module docstring), and
    with the experience of its effort: the number of maximal efforts of the same effort
    before it (Mauger et al. 2009). Then its TRIMP becomes that day's load. Pure: the inputs
    are unchanged.

    Parameters
    ----------
    params
        The runner on day 0, in the steady state of their habitual training
        (:class:`Params`; see :attr:`TrainingResponse.habitual_load_au`).
    sessions
        The plan, one item a day, day 0 first: ``None`` for a rest day, a protocol
        (:class:`Race`, :class:`TimeTrial`, :class:`TimeToExhaustion`, :class:`FixedRPE`,
        :class:`Training`) or a :class:`Session` (a protocol with its course, environment,
        feedback, modifiers and effort label).
    response
        How loads become fitness, fatigue and perceived effort (default
        :class:`TrainingResponse`).
    initial_experience
        Previous maximal efforts before day 0 [-]: one number for every maximal effort, or
        ``{effort: count}`` (efforts not named start at 0). Default: that of
        :class:`Modifiers` (10, well practised), so a one-day block is :func:`simulate`.
    dt
        Integrator step [s], as in :func:`governor.simulate`.

    Returns
    -------
    Block
        ``.days`` (one row per day), ``.simulations``, ``.experience``, ``.final_state``,
        and ``.simulate_day(day, session)``, ``.what_if(session)`` for what-ifs.

    Raises
    ------
    ValueError
        For an empty plan, an item that is not a session or None, invalid experience, or a
        day's critical speed outside :class:`Params`'s bounds.

    Examples
    --------
    >>> import governor as gv
    >>> from governor.block import simulate_block
    >>> hard = gv.Training.intervals(6, 180, 120, work_rpe=8.0)
    >>> block = simulate_block(gv.TRAINED, [hard, hard, None, gv.Race(5000)])
    >>> block.days[["session", "load_au", "fatigue_au", "finish_time_s"]]  # doctest: +SKIP
    """
    if not isinstance(params, Params):
        raise ValueError(f"params must be a governor.Params, got {type(params).__name__}")
    response = TrainingResponse() if response is None else response
    if not isinstance(response, TrainingResponse):
        raise ValueError("response must be a governor.block.TrainingResponse")
    if isinstance(sessions, str | bytes) or not isinstance(sessions, Sequence):
        raise ValueError("sessions must be a sequence of days (None, a protocol or a Session)")
    plan = [_as_session(item, day) for day, item in enumerate(sessions)]
    if not plan:
        raise ValueError("sessions is empty: a block needs at least one day")
    start_experience = _experience_lookup(initial_experience)
    experience: dict[str, float] = {}
    experience_by_day = []

    state = baseline = _habitual_state(response)
    rows = []
    simulations: dict[int, Simulation] = {}
    for day, session in enumerate(plan):
        experience_by_day.append(dict(experience))
        change, cs_change, rpe_offset = _day_effects(state, baseline, response)
        cs = params.critical_speed_mps * (1.0 + cs_change)
        row = {"day": day, "session": "rest", "maximal": False, "experience": math.nan,
               "load_au": 0.0, "fitness_au": state.fitness_au, "fatigue_au": state.fatigue_au,
               "performance_change": change, "effective_critical_speed_mps": cs,
               "rpe_offset_cr10": rpe_offset}
        row.update(dict.fromkeys(_SESSION_COLUMNS, math.nan))
        load = 0.0
        if session is not None:
            n_before = _experience_of(session, experience, start_experience)
            sim = _simulate_session(params, session, day, cs, rpe_offset, n_before, dt)
            simulations[day] = sim
            load = session_trimp_au(sim, response)
            if session.maximal:
                experience[session.effort] = n_before + 1.0
            row.update({"session": session.effort, "maximal": session.maximal,
                        "experience": n_before, "load_au": load})
            row.update(_session_row(sim))
        rows.append(row)
        state = _next_day(state, load, response)
    experience_by_day.append(dict(experience))

    change, cs_change, rpe_offset = _day_effects(state, baseline, response)
    final_state = {"fitness_au": state.fitness_au, "fatigue_au": state.fatigue_au,
                   "performance_change": change,
                   "effective_critical_speed_mps": params.critical_speed_mps * (1.0 + cs_change),
                   "rpe_offset_cr10": rpe_offset}
    days = pd.DataFrame(rows).set_index("day")
    return Block(days, simulations, final_state, params, response, tuple(plan), dt,
                 experience_by_day, start_experience)


__all__ = [
    "simulate_block", "Block", "Session", "TrainingResponse", "impulse_response", "trimp_au",
    "session_trimp_au", "effort_label", "MAXIMAL_PROTOCOLS", "MAX_CS_CHANGE",
]
