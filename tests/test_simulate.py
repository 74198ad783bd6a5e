"""simulate(): the Simulation it returns, statuses, limits, and purity."""

import numpy as np
import pytest

import governor as gv

TRACE_COLUMNS = [
    "distance_m", "speed_mps", "recruitment", "reserve_m", "core_temp_c", "skin_temp_c", "rpe",
    "heart_rate_bpm", "hazard_score", "believed_remaining_distance_m", "believed_elapsed_s",
    "told_temp_c", "displayed_distance_m",
]


def test_race_trace_and_summary():
    sim = gv.simulate(gv.TRAINED, gv.Race(5000))
    assert sim.status == "finished"
    for column in TRACE_COLUMNS:
        assert column in sim.trace.columns
    assert sim.trace.index.name == "time_s"
    assert sim.distance_m == pytest.approx(5000.0, abs=1e-6)
    # the finish time is the time the line is crossed, not the end of a step
    assert sim.finish_time_s != round(sim.finish_time_s)
    s = sim.summary()
    assert s["finish_time_s"] == sim.finish_time_s
    assert s["first_km_s"] + 3 * s["mean_km_s"] + s["last_km_s"] == pytest.approx(
        sim.finish_time_s, rel=0.02)
    splits = sim.split_times_s()
    assert splits.sum() == pytest.approx(sim.finish_time_s)


def test_truthful_beliefs_match_the_truth():
    tr = gv.simulate(gv.TRAINED, gv.Race(3000)).trace
    np.testing.assert_allclose(tr["displayed_distance_m"], tr["distance_m"], atol=1e-9)
    np.testing.assert_allclose(tr["believed_elapsed_s"], tr.index, atol=1e-9)
    np.testing.assert_allclose(tr["believed_remaining_distance_m"].iloc[:-1],
                               (3000 - tr["distance_m"]).clip(lower=1.0).iloc[:-1], atol=1e-6)


def test_false_feedback_opens_a_gap_between_the_worlds():
    fb = gv.Feedback(distance_scale=1.1, clock_rate=0.9, told_temperature_c=12.0,
                     core_temp_offset_c=-0.5)
    tr = gv.simulate(gv.TRAINED, gv.Race(3000), environment=gv.Environment(25.0),
                     feedback=fb).trace
    np.testing.assert_allclose(tr["displayed_distance_m"], 1.1 * tr["distance_m"], rtol=1e-9)
    np.testing.assert_allclose(tr["believed_elapsed_s"], 0.9 * tr.index, rtol=1e-9)
    assert (tr["told_temp_c"] == 12.0).all() and (tr["air_temp_c"] == 25.0).all()
    np.testing.assert_allclose(tr["displayed_core_temp_c"], tr["core_temp_c"] - 0.5)


def test_time_trial_ends_exactly_at_its_duration():
    sim = gv.simulate(gv.TRAINED, gv.TimeTrial(600.5))
    assert sim.status == "finished"
    assert sim.finish_time_s == pytest.approx(600.5)


def test_every_protocol_ends_with_a_status():
    # at 1.05 CS the runner stops by decision (Marcora & Staiano 2010, target T8); closer
    # to the ceiling the decision and the muscles' limit come within a second of each other
    assert gv.simulate(gv.TRAINED, gv.TimeToExhaustion(5.15)).status == "stopped"
    assert gv.simulate(gv.TRAINED, gv.TimeToExhaustion(5.15),
                       modifiers=gv.Modifiers(governor=False)).status == "exhausted"
    slow = gv.simulate(gv.TRAINED, gv.TimeToExhaustion(3.0, time_limit_s=900.0))
    assert slow.status == "time limit" and slow.finish_time_s == pytest.approx(900.0)
    walk = gv.simulate(gv.RECREATIONAL, gv.Race(20000, time_limit_s=600.0))
    assert walk.status == "time limit" and walk.distance_m < 20000
    clamp = gv.simulate(gv.TRAINED, gv.FixedRPE(8.0, duration_s=7200.0, stop_fraction=0.9))
    assert clamp.status == "stopped" and clamp.finish_time_s < 7200.0
    session = gv.simulate(gv.TRAINED, gv.Training.intervals(3, 180.0, 90.0, work_speed_mps=5.3,
                                                            warmup_s=300, cooldown_s=300))
    assert session.status == "finished"
    assert session.finish_time_s == pytest.approx(300 + 3 * 180 + 2 * 90 + 300)


def test_training_segments_follow_their_intent():
    session = gv.Training((gv.Segment(600.0, target_speed_mps=3.5),
                           gv.Segment(600.0, target_rpe=6.0)))
    tr = gv.simulate(gv.TRAINED, session).trace
    assert tr["speed_mps"].loc[300:590].mean() == pytest.approx(3.5, abs=0.02)
    assert tr["rpe"].loc[1000:1190].mean() == pytest.approx(6.0, abs=0.3)


def test_simulate_does_not_mutate_inputs():
    params, fb = gv.TRAINED, gv.Feedback(changes=((100.0, {"clock_rate": 1.2}),))
    before = (params.to_dict(), fb.changes[0][1].copy())
    gv.simulate(params, gv.TimeTrial(300), feedback=fb)
    assert (params.to_dict(), fb.changes[0][1]) == before


def test_feedback_change_takes_effect_at_its_time():
    fb = gv.Feedback(changes=((300.0, {"clock_rate": 1.5}),))
    tr = gv.simulate(gv.TRAINED, gv.TimeTrial(600), feedback=fb).trace
    assert tr["believed_elapsed_s"].loc[300.0] == pytest.approx(300.0)
    assert tr["believed_elapsed_s"].loc[500.0] == pytest.approx(300.0 + 1.5 * 200.0)


def test_hills_slow_the_runner_on_the_climb():
    course = gv.Course.hill(800.0, 0.06, 2000.0, 5000.0)
    tr = gv.simulate(gv.TRAINED, gv.Race(5000), course=course).trace
    on_hill = tr[(tr.distance_m > 2100) & (tr.distance_m < 2700)]
    flat = tr[(tr.distance_m > 1000) & (tr.distance_m < 1800)]
    assert on_hill["speed_mps"].mean() < 0.9 * flat["speed_mps"].mean()
    assert np.allclose(on_hill["grade"], 0.06)


def test_recruitment_respects_the_ceiling_with_governor_off():
    sim = gv.simulate(gv.TRAINED, gv.Race(3000), modifiers=gv.Modifiers(governor=False))
    tr = sim.trace
    assert (tr["recruitment"] <= tr["recruitment_ceiling"] + 1e-6).all()
    governed = gv.simulate(gv.TRAINED, gv.Race(3000))
    # all-out from the gun: front-loaded, and nothing held back at the line
    off, on = sim.summary(), governed.summary()
    assert off["first_km_s"] < off["last_km_s"]
    assert off["reserve_left_fraction"] < 0.5 * on["reserve_left_fraction"]


@pytest.mark.parametrize("protocol", [
    gv.Race(10000.0),
    gv.FixedRPE(9.0, duration_s=3600.0),
    gv.Training.steady(3600.0, target_speed_mps=4.5),
    gv.TimeToExhaustion(3.0, time_limit_s=3600.0),
], ids=["race", "fixed_rpe", "imposed_pace", "time_to_exhaustion"])
def test_hyperthermia_ends_any_effort_at_the_critical_core(protocol):
    """In 40 degC saturated air no protocol runs on past the critical thermal maximum: the
    effort ends there, its last row interpolated to it, in the compiled integrator and the
    scipy reference alike."""
    from governor.physiology.thermal import CRITICAL_CORE_C

    env = gv.Environment(40.0, 1.0)
    fast = gv.simulate(gv.TRAINED, protocol, environment=env)
    ref = gv.simulate(gv.TRAINED, protocol, environment=env, solver="scipy")
    for sim in (fast, ref):
        assert sim.status == "hyperthermia"
        assert sim.trace["core_temp_c"].iloc[-1] == pytest.approx(CRITICAL_CORE_C, abs=1e-6)
        assert sim.trace["core_temp_c"].max() <= CRITICAL_CORE_C + 1e-6
    assert fast.finish_time_s == pytest.approx(ref.finish_time_s, abs=1.0)


def test_a_race_finished_before_the_critical_core_is_finished():
    """Hot, dry air the runner can lose heat to: the race finishes, never near 42 degC."""
    sim = gv.simulate(gv.TRAINED, gv.Race(10000.0), environment=gv.Environment(35.0, 0.3))
    assert sim.status == "finished" and sim.trace["core_temp_c"].max() < 40.5
