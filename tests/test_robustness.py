"""Robustness: random valid runners and scenarios never break the model (the compiled
integrator against the scipy reference is in ``test_solver.py``)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import governor as gv
from governor.params import Params
from governor.physiology.thermal import CRITICAL_CORE_C

FIELDS = Params.names()


@st.composite
def runners(draw):
    """Valid parameter sets: each field drawn inside its bounds (v_max kept above CS)."""
    values = {}
    for name in FIELDS:
        lo, hi = Params.bounds(name)
        values[name] = draw(st.floats(lo, hi, allow_nan=False))
    lo, hi = Params.bounds("v_max_mps")
    values["v_max_mps"] = draw(st.floats(max(lo, values["critical_speed_mps"] + 0.5), hi))
    lo, hi = Params.bounds("heart_rate_max_bpm")
    values["heart_rate_max_bpm"] = draw(st.floats(max(lo, values["heart_rate_rest_bpm"] + 20), hi))
    return Params(**values)


protocols = st.one_of(
    st.builds(gv.Race, st.floats(200.0, 15000.0)),
    st.builds(gv.TimeTrial, st.floats(60.0, 3600.0)),
    st.builds(gv.TimeToExhaustion, st.floats(1.0, 9.0), time_limit_s=st.just(3600.0)),
    st.builds(gv.FixedRPE, st.floats(1.0, 9.5), duration_s=st.floats(300.0, 3600.0)),
    st.builds(gv.Training.steady, st.floats(60.0, 3600.0),
              target_speed_mps=st.floats(1.0, 6.0)),
)
@st.composite
def environments(draw):
    """Air from -5 to 40 degC; below 15 degC the runner wears clothing for the cold
    (about 0.05 clo per degC below 15, give or take half)."""
    temperature = draw(st.floats(-5.0, 40.0))
    need = max(0.0, 0.05 * (15.0 - temperature))
    clothing = draw(st.floats(0.5 * need, 1.5 * need)) if need > 0 else 0.0
    return gv.Environment(temperature, draw(st.floats(0.0, 1.0)), draw(st.floats(-5.0, 5.0)),
                          clothing_clo=clothing)


courses = st.one_of(
    st.just(gv.Course()),
    st.builds(gv.Course.hill, st.floats(50.0, 2000.0), st.floats(-0.2, 0.2),
              st.floats(0.0, 3000.0), st.just(5000.0)),
)


@st.composite
def feedbacks(draw, protocol):
    kw = dict(
        distance_scale=draw(st.floats(0.8, 1.2)),
        clock_rate=draw(st.floats(0.7, 1.3)),
        told_temperature_c=draw(st.one_of(st.none(), st.floats(0.0, 40.0))),
        core_temp_offset_c=draw(st.floats(-1.0, 1.0)),
    )
    if isinstance(protocol, gv.Race):
        kw["endpoint_known"] = draw(st.booleans())
        kw["believed_distance_m"] = draw(st.one_of(
            st.none(), st.floats(0.5, 1.5).map(lambda f: f * protocol.distance_m)))
        kw["pacer_factor"] = draw(st.one_of(st.none(), st.floats(0.95, 1.08)))
    if isinstance(protocol, gv.TimeTrial | gv.TimeToExhaustion):
        kw["believed_duration_s"] = draw(st.one_of(st.none(), st.floats(60.0, 7200.0)))
    return gv.Feedback(**kw)


modifiers = st.builds(gv.Modifiers, st.floats(0.3, 1.5), st.floats(-1.0, 3.0),
                      st.floats(0.0, 20.0))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_valid_scenarios_stay_physiological(data):
    params = data.draw(runners())
    protocol = data.draw(protocols)
    sim = gv.simulate(params, protocol, course=data.draw(courses),
                      environment=data.draw(environments()),
                      feedback=data.draw(feedbacks(protocol)), modifiers=data.draw(modifiers))
    tr = sim.trace
    assert sim.status in ("finished", "exhausted", "stopped", "hyperthermia", "time limit")
    assert sim.finish_time_s <= protocol.limit_s + 1e-6
    values = tr.drop(columns=["pacer_gap_m", "pace_s_per_km", "reserve_feasible_mps",
                              "thermal_feasible_mps", "perceptual_mps",
                              "believed_remaining_distance_m", "believed_remaining_s",
                              "believed_total"])  # NaN: nothing is told (open-ended effort)
    assert np.isfinite(values.to_numpy()).all()
    told = tr["believed_total"].to_numpy()
    assert np.all(np.isnan(told) | (told >= 0.0))  # 0: judged impossible from the start
    assert tr["recruitment"].between(0.0, 1.0).all()
    assert tr["reserve_m"].between(-1e-6, params.d_prime_m + 1e-6).all()
    # air up to 40 degC at any humidity includes air no behaviour survives (a wet bulb
    # above 35 degC: even at rest the body gains heat), so the core may run away; it never
    # runs past the critical thermal maximum, where the body ends the effort
    assert tr["core_temp_c"].between(34.0, CRITICAL_CORE_C + 1e-9).all()
    if sim.status == "hyperthermia":
        assert tr["core_temp_c"].iloc[-1] == pytest.approx(CRITICAL_CORE_C)
    # an under-dressed small runner in freezing air can take the mean skin to the mid-teens
    # (the strategy allows half the clothing the cold asks for); 10 degC is far below that
    assert tr["skin_temp_c"].between(10.0, 42.0).all()
    assert tr["heart_rate_bpm"].between(params.heart_rate_rest_bpm - 1e-6,
                                        params.heart_rate_max_bpm + 1e-6).all()
    assert tr["rpe"].between(0.0, 10.0 + 1e-9).all()
    assert (tr["speed_mps"] >= 0).all() and (np.diff(tr["distance_m"]) >= -1e-9).all()
