"""Scenarios whose traces are recorded as golden references (``traces.npz``).

Every simulation that ``gv.studies`` runs for T1-T7, and a set of others that reach the
parts of the model the studies do not: each protocol, every feedback channel and its changes
mid-effort, hills, varying air, clothing, the modifiers, the governor switched off, a
non-default step.

The golden file is the model's behaviour at one commit. A change meant to keep behaviour (a
refactor) must reproduce it to 1e-9 relative (``tests/test_golden.py``); a change meant to
alter behaviour regenerates it with ``python tests/golden/make_golden.py`` in the same
commit, and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import governor as gv
from governor import studies

TRAINED, ELITE, RECREATIONAL = gv.TRAINED, gv.ELITE, gv.RECREATIONAL


def _others() -> dict[str, Callable[[], gv.Simulation]]:
    s = gv.simulate
    hot = gv.Environment(32.0, 0.6)
    return {
        "race 5 km recreational hill": lambda: s(
            RECREATIONAL, gv.Race(5000), course=gv.Course.hill(800, 0.05, 1500, 5000)),
        "race 10 km trained, headwind warming air": lambda: s(
            TRAINED, gv.Race(10_000),
            environment=gv.Environment([14.0, 24.0], [0.7, 0.5], [2.0, -1.0],
                                       time_s=[0.0, 2400.0])),
        "race 10 km unknown endpoint naive": lambda: s(
            TRAINED, gv.Race(10_000), feedback=gv.Feedback(endpoint_known=False),
            modifiers=gv.Modifiers(experience=0.0)),
        "race 10 km believed 12 km, told at 6 km": lambda: s(
            TRAINED, gv.Race(10_000),
            feedback=gv.Feedback(believed_distance_m=12_000,
                                 changes=((1200.0, {"believed_distance_m": 10_000}),))),
        "race 10 km watch long, hot, blockade": lambda: s(
            TRAINED, gv.Race(10_000), environment=hot,
            feedback=gv.Feedback(distance_scale=1.05),
            modifiers=gv.Modifiers(afferent_gain=0.6)),
        "race 3 km pacer 1.03": lambda: s(
            TRAINED, gv.Race(3000), feedback=gv.Feedback(pacer_factor=1.03)),
        "race 5 km no governor": lambda: s(
            TRAINED, gv.Race(5000), modifiers=gv.Modifiers(governor=False)),
        "race 10 km cold, clothed, dt 0.5": lambda: s(
            RECREATIONAL, gv.Race(10_000), environment=gv.Environment(-5.0, 0.8, 3.0,
                                                                        clothing_clo=0.6),
            dt=0.5),
        "time trial 20 min clock fast, then believed longer": lambda: s(
            TRAINED, gv.TimeTrial(1200),
            feedback=gv.Feedback(clock_rate=1.1,
                                 changes=((600.0, {"believed_duration_s": 1500.0}),))),
        "time trial 30 min mental fatigue, told cool": lambda: s(
            TRAINED, gv.TimeTrial(1800), environment=hot,
            feedback=gv.Feedback(told_temperature_c=22.0, core_temp_offset_c=-0.4),
            modifiers=gv.Modifiers(mental_fatigue=1.0)),
        "time to exhaustion 1.05 CS": lambda: s(
            TRAINED, gv.TimeToExhaustion(1.05 * TRAINED.critical_speed_mps)),
        "time to exhaustion 1.2 CS told 10 min then 20": lambda: s(
            TRAINED, gv.TimeToExhaustion(1.2 * TRAINED.critical_speed_mps),
            feedback=gv.Feedback(believed_duration_s=600.0,
                                 changes=((300.0, {"believed_duration_s": 1200.0}),))),
        "time to exhaustion uphill no governor": lambda: s(
            TRAINED, gv.TimeToExhaustion(4.0, grade=0.04), modifiers=gv.Modifiers(governor=False)),
        "fixed RPE 6 hot": lambda: s(TRAINED, gv.FixedRPE(6.0, duration_s=2400.0),
                                     environment=gv.Environment(35.0, 0.5)),
        "fixed RPE 8 stops": lambda: s(TRAINED, gv.FixedRPE(8.0, duration_s=3600.0,
                                                           stop_fraction=0.9)),
        "training intervals by pace": lambda: s(
            TRAINED, gv.Training.intervals(4, 180, 90, work_speed_mps=5.2)),
        "training steady RPE on a hill": lambda: s(
            RECREATIONAL, gv.Training.steady(1800, target_rpe=3.0),
            course=gv.Course.hill(1000, 0.06, 2000, 8000)),
        "marathon elite warm": lambda: s(ELITE, gv.Race(42_195),
                                         environment=gv.Environment(24.0, 0.6)),
        "race 10 km humid heat, hyperthermia or slow": lambda: s(
            TRAINED, gv.Race(10_000), environment=gv.Environment(38.0, 0.95)),
    }


def scenarios() -> Iterator[tuple[str, gv.Simulation]]:
    """(name, simulation) for every golden scenario, in a fixed order."""
    for target, run in studies.STUDIES.items():
        result = run()
        seen = set()
        for label, sim in result.simulations.items():
            seen.add(id(sim))
            yield f"{target} {label}", sim
        for part in result.parts:
            for label, sim in part.simulations.items():
                if id(sim) not in seen:
                    yield f"{target} {part.study} {label}", sim
    for name, run in _others().items():
        yield name, run()


#: Rows kept of each trace: every ``STRIDE``-th and the last.
STRIDE = 10
