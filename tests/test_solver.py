"""The integrators (``governor.solver``): the compiled fixed-step RK4 agrees with the scipy
reference on the same right-hand side; each protocol ends by its own rules, which the solver
reads from the packed protocol, never from the protocol's type; steps land on every break."""

import math

import numpy as np
import pytest

import governor as gv
from governor import model, solver
from governor.model import X

# -- compiled vs scipy -------------------------------------------------------------------
#: Stated tolerance of the fixed-step RK4 at dt = 1 s against the adaptive reference
#: (rtol 1e-6), on the common 1-s grid: absolute differences at most these.
TOLERANCE = {"distance_m": 2.0, "speed_mps": 0.1, "reserve_m": 1.0, "core_temp_c": 0.01,
             "rpe": 0.02, "heart_rate_bpm": 0.2, "recruitment": 0.01}

AGREEMENT_CASES = {
    "race": (gv.Race(5000.0), {}),
    "race_hill_heat_wind": (gv.Race(3000.0), dict(
        course=gv.Course.hill(500.0, 0.08, 1000.0, 3000.0),
        environment=gv.Environment(30.0, 0.6, 2.0))),
    "race_pacer": (gv.Race(2000.0), dict(feedback=gv.Feedback(pacer_factor=1.02))),
    "race_deceived": (gv.Race(4000.0), dict(feedback=gv.Feedback(
        distance_scale=1.05, endpoint_known=False, told_temperature_c=10.0))),
    "race_km_markers": (gv.Race(3000.0), dict(feedback=gv.Feedback(
        km_markers_m=(900.0, 2050.0)))),
    "time_trial": (gv.TimeTrial(900.0), dict(environment=gv.Environment(28.0, 0.5))),
    "time_trial_changes": (gv.TimeTrial(900.0), dict(feedback=gv.Feedback(
        believed_duration_s=600.0, changes=((400.0, {"believed_duration_s": 900.0}),)))),
    "time_to_exhaustion": (gv.TimeToExhaustion(5.5), {}),
    "fixed_rpe": (gv.FixedRPE(7.0, duration_s=1800.0, stop_fraction=0.85), {}),
    "training": (gv.Training.intervals(3, 180.0, 90.0, work_speed_mps=5.3, warmup_s=300.0,
                                       cooldown_s=300.0), {}),
}


@pytest.mark.parametrize("case", list(AGREEMENT_CASES))
def test_compiled_and_scipy_agree(case):
    protocol, kw = AGREEMENT_CASES[case]
    fast = gv.simulate(gv.TRAINED, protocol, **kw)
    ref = gv.simulate(gv.TRAINED, protocol, solver="scipy", **kw)
    assert fast.status == ref.status
    assert fast.finish_time_s == pytest.approx(ref.finish_time_s, abs=1.0)
    a, b = fast.trace, ref.trace
    t = np.intersect1d(np.round(a.index.to_numpy(), 6), np.round(b.index.to_numpy(), 6))
    assert t.size > 0.9 * min(len(a), len(b))
    a = a.loc[np.isin(np.round(a.index.to_numpy(), 6), t)]
    b = b.loc[np.isin(np.round(b.index.to_numpy(), 6), t)]
    for column, tol in TOLERANCE.items():
        diff = np.max(np.abs(a[column].to_numpy() - b[column].to_numpy()))
        assert diff <= tol, f"{case}: {column} differs by {diff:.4g} (tolerance {tol})"


def test_a_non_finite_state_raises_instead_of_being_clipped(monkeypatch):
    import importlib

    simulate_module = importlib.import_module("governor.simulate")

    def poisoned(*args, **kwargs):
        t = np.array([0.0, 1.0])
        y = np.zeros((2, model.N_STATE))
        y[1, 2] = np.nan
        return t, y, np.zeros((2, model.N_AUX)), 5
    monkeypatch.setattr(simulate_module, "run_compiled", poisoned)
    with pytest.raises(RuntimeError, match="non-finite"):
        gv.simulate(gv.TRAINED, gv.Race(1000.0))


# -- ending rules come from the protocol ----------------------------------------------------
def _run(protocol, **changes):
    """Run the compiled kernel on ``protocol`` packed, with packed scalars changed."""
    inputs = model.pack(gv.TRAINED, protocol, gv.Course(), gv.Environment(), gv.Feedback(),
                        gv.Modifiers(), None)
    for name, value in changes.items():
        inputs.scalars[getattr(X, name)] = value
    y0 = model.initial_state(gv.TRAINED, gv.Environment(), inputs)
    return solver.run_compiled(y0, 1.0, inputs)


def test_the_solver_ends_by_the_packed_rules_not_by_the_protocol_type():
    t, y, _, status = _run(gv.Race(3000.0, time_limit_s=900.0))
    assert solver.STATUS_NAMES[status] == "finished"
    assert y[-1, model.S] == pytest.approx(3000.0, abs=1e-9)  # interpolated to the line
    # the same race with its finish-line rule switched off runs to its time limit
    t, y, _, status = _run(gv.Race(3000.0, time_limit_s=900.0), ends_on_distance=0.0)
    assert solver.STATUS_NAMES[status] == "time limit"
    assert t[-1] == pytest.approx(900.0) and y[-1, model.S] > 3000.0
    # a race given a duration rule ends when its time is up, wherever it is
    t, y, _, status = _run(gv.Race(10000.0), ends_on_duration=1.0, natural_end_s=600.0)
    assert solver.STATUS_NAMES[status] == "finished"
    assert t[-1] == pytest.approx(600.0) and y[-1, model.S] < 10000.0


def test_an_imposed_pace_ends_by_exhaustion_or_tolerance_as_its_rules_say():
    fast = gv.TimeToExhaustion(5.6)
    _, _, aux, status = _run(fast, governed=0.0)
    assert solver.STATUS_NAMES[status] == "exhausted"
    assert aux[-1, model.A_EXMARGIN] < 0.0 <= aux[-2, model.A_EXMARGIN]
    # without the exhaustion rule the ceiling falls below the demand and the run goes on
    t, _, aux, status = _run(fast, governed=0.0, ends_on_exhaustion=0.0, limit_s=3600.0)
    assert solver.STATUS_NAMES[status] == "time limit" and t[-1] == pytest.approx(3600.0)


def test_a_speed_floor_stops_a_clamp_only_after_it_settles():
    protocol = gv.FixedRPE(8.0, duration_s=7200.0, stop_fraction=0.9, settle_s=120.0)
    t, _, aux, status = _run(protocol)
    assert solver.STATUS_NAMES[status] == "stopped"
    settled = aux[np.searchsorted(t, 120.0), model.A_V]
    assert aux[-1, model.A_V] < 0.9 * settled <= aux[-2, model.A_V]
    t, _, _, status = _run(protocol, ends_on_speed_floor=0.0)
    assert solver.STATUS_NAMES[status] == "finished" and t[-1] == pytest.approx(7200.0)


def test_steps_land_on_every_feedback_change_and_segment_end():
    feedback = gv.Feedback(changes=((100.25, {"clock_rate": 1.1}), (333.7, {"clock_rate": 1.0})))
    sim = gv.simulate(gv.TRAINED, gv.TimeTrial(600.0), feedback=feedback)
    times = sim.time_s
    for tb in (100.25, 333.7):
        assert np.any(np.abs(times - tb) < 1e-9), tb
    session = gv.Training((gv.Segment(90.5, target_rpe=3.0), gv.Segment(60.0, target_rpe=6.0),
                           gv.Segment(30.0, target_rpe=2.0)))
    times = gv.simulate(gv.TRAINED, session).time_s
    for tb in (90.5, 150.5, 180.5):
        assert np.any(np.abs(times - tb) < 1e-9), tb
    # the perceived clock integrates the rate in force between the changes, exactly
    t_hat = sim.column("believed_elapsed_s")
    at = np.argmin(np.abs(sim.time_s - 333.7))
    assert t_hat[at] == pytest.approx(100.25 + 1.1 * (333.7 - 100.25), rel=1e-12)


def test_the_packed_inputs_are_named_from_their_tables():
    inputs = model.pack(gv.TRAINED, gv.TimeToExhaustion(5.0, grade=0.02), gv.Course(),
                        gv.Environment(), gv.Feedback(), gv.Modifiers(), None)
    assert inputs._fields == tuple(name for name, _ in model.INPUT_FIELDS)
    p = inputs.scalars
    assert p.size == len(model.SCALAR_NAMES)
    assert p[X.critical_speed_mps] == gv.TRAINED.critical_speed_mps
    assert p[X.imposed_speed_mps] == 5.0 and p[X.imposed_grade] == 0.02
    assert math.isnan(p[X.target_distance_m])
    assert p[X.ends_on_exhaustion] == 1.0 and p[X.ends_on_distance] == 0.0
    for name, rows in model.ROWS:
        assert getattr(inputs, name).shape[0] == len(rows), name
    assert inputs.air[model.AIR.temperature_c, 0] == 20.0
