"""governor.block: sessions chained over days, with experience and residual fatigue."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import governor as gv
from governor.block import (
    Session,
    TrainingResponse,
    effort_label,
    impulse_response,
    session_trimp_au,
    simulate_block,
    trimp_au,
)

TRAINED = gv.TRAINED
HARD = gv.Training.intervals(8, 180, 90, work_rpe=8.5)      # ~100 AU of TRIMP
SAME_WORK = gv.Training.steady(1200, target_speed_mps=4.2)  # fixed pace: the same work
TEST = gv.Race(3000)


# ---- the impulse-response arithmetic ----------------------------------------------------
def test_impulse_response_matches_banister_closed_form():
    """kappa = 0 is Banister's model: each load adds w e^{-(n-i)/tau} from the next day."""
    r = TrainingResponse(habitual_load_au=0.0, fitness_tau_d=40.0, fatigue_tau_d=5.0,
                         fitness_gain_per_au=1e-4, fatigue_gain_per_au=3e-4,
                         fatigue_growth_per_au=0.0, fatigue_rpe_per_au=2e-3)
    w0, w1 = 120.0, 80.0
    df = impulse_response([w0, w1, 0.0, 0.0, 0.0, 0.0], r)
    assert list(df.index) == [0, 1, 2, 3, 4, 5]
    assert df.loc[0, "fitness_au"] == 0.0 and df.loc[0, "fatigue_au"] == 0.0
    assert df.loc[1, "fitness_au"] == pytest.approx(w0 * math.exp(-1 / 40))
    for n in range(2, 6):
        g = w0 * math.exp(-n / 40) + w1 * math.exp(-(n - 1) / 40)
        h = w0 * math.exp(-n / 5) + w1 * math.exp(-(n - 1) / 5)
        assert df.loc[n, "fitness_au"] == pytest.approx(g, rel=1e-12)
        assert df.loc[n, "fatigue_au"] == pytest.approx(h, rel=1e-12)
        assert df.loc[n, "performance_change"] == pytest.approx(1e-4 * g - 3e-4 * h, rel=1e-12)
        assert df.loc[n, "rpe_offset_cr10"] == pytest.approx(2e-3 * h, rel=1e-12)
    np.testing.assert_array_equal(df["fatigue_gain"], 1.0)


def test_impulse_response_busso_gain_closed_form():
    """Busso 2003: the fatigue a load leaves is scaled by 1 + kappa x (recent load, its own
    included), the recent load decaying with tau_3."""
    r = TrainingResponse(habitual_load_au=0.0, fatigue_tau_d=6.0, fatigue_growth_per_au=5e-3,
                         fatigue_growth_tau_d=2.0)
    w0, w1 = 100.0, 50.0
    df = impulse_response([w0, w1, 0.0, 0.0], r)
    mu0 = 1 + 5e-3 * w0
    mu1 = 1 + 5e-3 * (w1 + w0 * math.exp(-1 / 2))
    assert df.loc[0, "fatigue_gain"] == pytest.approx(mu0)
    assert df.loc[1, "fatigue_gain"] == pytest.approx(mu1)
    for n in (2, 3):
        h = mu0 * w0 * math.exp(-n / 6) + mu1 * w1 * math.exp(-(n - 1) / 6)
        assert df.loc[n, "fatigue_au"] == pytest.approx(h, rel=1e-12)
    # on a rest day the recent load still decays: a load after a rest tires less
    rested = impulse_response([w0, 0.0, w1], r)
    assert rested.loc[2, "fatigue_gain"] == pytest.approx(1 + 5e-3 * (w1 + w0 * math.exp(-1)))


def test_constant_load_is_a_geometric_series():
    r = TrainingResponse(habitual_load_au=0.0, fatigue_growth_per_au=0.0)
    w, n = 90.0, 30
    df = impulse_response([w] * n + [0.0], r)
    q = math.exp(-1 / r.fitness_tau_d)
    assert df.loc[n, "fitness_au"] == pytest.approx(w * q * (1 - q**n) / (1 - q), rel=1e-12)


def test_the_block_starts_in_the_habitual_steady_state():
    """Before day 0 the runner trained H a day: holding H changes nothing; the state is the
    infinite geometric series, and a rest day decays it (fresher now, less fit later)."""
    r = TrainingResponse(habitual_load_au=70.0)
    held = impulse_response([70.0] * 30, r)
    np.testing.assert_allclose(held["performance_change"], 0.0, atol=1e-12)
    np.testing.assert_allclose(held["rpe_offset_cr10"], 0.0, atol=1e-12)
    q1, q2, q3 = (math.exp(-1 / tau) for tau in (42.0, 7.0, 3.0))
    g_h = 70.0 * q1 / (1 - q1)
    mu_h = 1 + r.fatigue_growth_per_au * 70.0 / (1 - q3)
    h_h = mu_h * 70.0 * q2 / (1 - q2)
    assert held.loc[0, "fitness_au"] == pytest.approx(g_h, rel=1e-12)
    assert held.loc[0, "fatigue_au"] == pytest.approx(h_h, rel=1e-12)
    assert held.loc[0, "fatigue_gain"] == pytest.approx(mu_h, rel=1e-12)
    rest = impulse_response([0.0] * 43, r)
    assert rest.loc[5, "fitness_au"] == pytest.approx(g_h * q1**5, rel=1e-12)
    assert rest.loc[5, "fatigue_au"] == pytest.approx(h_h * q2**5, rel=1e-12)
    expected = (r.fitness_gain_per_au * (g_h * q1**5 - g_h)
                - r.fatigue_gain_per_au * (h_h * q2**5 - h_h))
    assert rest.loc[5, "performance_change"] == pytest.approx(expected, rel=1e-12)
    assert rest.loc[5, "performance_change"] > 0.0      # a few days off: fresher
    assert rest.loc[5, "rpe_offset_cr10"] < 0.0
    assert rest.loc[42, "performance_change"] < -0.02   # six weeks off: detrained


def test_default_response_shape():
    """The defaults' documented calibration (from a habitual 60 AU a day): one hard session
    (100 AU) tires for a day, a week of them lowers CS by a few percent, a week of rest after
    it supercompensates; and with Busso's gain, too much daily load is worse than less (an
    inverted U)."""
    r = TrainingResponse()
    one = impulse_response([100.0, 0.0], r)["performance_change"].iloc[-1]
    week = impulse_response([100.0] * 7 + [0.0], r)["performance_change"].iloc[-1]
    taper = impulse_response([100.0] * 7 + [0.0] * 8, r)["performance_change"].iloc[-1]
    assert -0.01 < one < 0.0
    assert -0.05 < week < -0.02
    assert 0.01 < taper < 0.04

    def steady(load):
        return impulse_response([load] * 150, r)["performance_change"].iloc[-1]
    assert steady(150.0) > steady(50.0)
    assert steady(400.0) < steady(150.0)
    banister = r.replace(fatigue_growth_per_au=0.0)
    assert (impulse_response([400.0] * 150, banister)["performance_change"].iloc[-1]
            > impulse_response([150.0] * 150, banister)["performance_change"].iloc[-1])


def test_trimp_closed_form():
    r = TrainingResponse()
    t = np.arange(1.0, 3601.0)           # one hour at 1 s
    rest, hr_max = 50.0, 190.0
    hr = np.full(t.size, rest + 0.5 * (hr_max - rest))
    expected = 60.0 * 0.5 * 0.64 * math.exp(1.92 * 0.5)
    assert trimp_au(hr, t, rest, hr_max, r) == pytest.approx(expected, rel=1e-12)
    # below rest counts nothing; above the maximum counts as the maximum
    assert trimp_au(np.full(t.size, 40.0), t, rest, hr_max, r) == 0.0
    assert trimp_au(np.full(t.size, 200.0), t, rest, hr_max, r) == pytest.approx(
        60.0 * 0.64 * math.exp(1.92), rel=1e-12)
    # women's weighting (Banister 1991) is lower at the same heart rate
    women = r.replace(trimp_weight=0.86, trimp_exponent=1.67)
    assert trimp_au(hr, t, rest, hr_max, women) == pytest.approx(
        60.0 * 0.5 * 0.86 * math.exp(1.67 * 0.5), rel=1e-12)


def test_session_trimp_grows_with_intensity_and_duration():
    easy = gv.simulate(TRAINED, gv.Training.steady(1800, target_rpe=3.0))
    longer = gv.simulate(TRAINED, gv.Training.steady(3600, target_rpe=3.0))
    hard = gv.simulate(TRAINED, gv.Training.steady(1800, target_rpe=6.5))
    assert session_trimp_au(longer) == pytest.approx(2 * session_trimp_au(easy), rel=0.1)
    assert session_trimp_au(hard) > 1.3 * session_trimp_au(easy)


# ---- the block --------------------------------------------------------------------------
def test_one_day_block_is_simulate():
    block = simulate_block(TRAINED, [gv.Race(5000)])
    sim = gv.simulate(TRAINED, gv.Race(5000))
    assert block.days.loc[0, "finish_time_s"] == sim.finish_time_s
    assert block.days.loc[0, "effective_critical_speed_mps"] == TRAINED.critical_speed_mps
    assert block.days.loc[0, "experience"] == gv.Modifiers().experience
    assert block.simulations[0].modifiers == gv.Modifiers()


def test_block_applies_its_impulse_response_to_each_session():
    plan = [HARD, None, HARD, HARD, TEST]
    block = simulate_block(TRAINED, plan)
    days = block.days
    assert list(days.index) == [0, 1, 2, 3, 4]
    assert list(days["session"]) == ["Training", "rest", "Training", "Training", "Race 3000 m"]
    assert days.loc[1, "load_au"] == 0.0 and np.isnan(days.loc[1, "finish_time_s"])
    assert set(block.simulations) == {0, 2, 3, 4}
    ref = impulse_response(days["load_au"], block.response)
    for column in ("fitness_au", "fatigue_au", "performance_change", "rpe_offset_cr10"):
        np.testing.assert_allclose(days[column], ref[column], rtol=1e-12)
    for day, sim in block.simulations.items():
        assert sim.params.critical_speed_mps == pytest.approx(
            TRAINED.critical_speed_mps * (1 + days.loc[day, "performance_change"]))
        assert sim.modifiers.mental_fatigue == pytest.approx(days.loc[day, "rpe_offset_cr10"])
        assert days.loc[day, "load_au"] == pytest.approx(session_trimp_au(sim))
    # nothing else about the runner changed
    assert block.simulations[4].params.replace(
        critical_speed_mps=TRAINED.critical_speed_mps) == TRAINED
    # the state after the block is the impulse response one day on
    after = impulse_response(list(days["load_au"]) + [0.0], block.response).iloc[-1]
    assert block.final_state["fatigue_au"] == pytest.approx(after["fatigue_au"])


def test_a_rest_day_recovers():
    """Two hard days then rest, against a third hard day: fatigue falls over the rest day
    and the next day's race is faster than without it."""
    rested = simulate_block(TRAINED, [HARD, HARD, None, TEST]).days
    tired = simulate_block(TRAINED, [HARD, HARD, HARD, TEST]).days
    assert rested.loc[3, "fatigue_au"] < rested.loc[2, "fatigue_au"]
    assert rested.loc[3, "fatigue_au"] < tired.loc[3, "fatigue_au"]
    cs = "effective_critical_speed_mps"
    assert rested.loc[3, cs] > tired.loc[3, cs]
    assert rested.loc[3, "finish_time_s"] < tired.loc[3, "finish_time_s"] - 1.0
    # and it keeps recovering: after a few rest days the runner is back to (or above) fresh
    block = simulate_block(TRAINED, [HARD, HARD, None, None, None, None, None, TEST])
    assert block.days.loc[7, "finish_time_s"] <= gv.simulate(TRAINED, TEST).finish_time_s


def test_hard_days_without_rest_degrade_performance_and_raise_rpe_for_the_same_work():
    block = simulate_block(TRAINED, [SAME_WORK] + [HARD] * 6 + [SAME_WORK])
    days = block.days
    # the same session covers the same distance (the same work) ...
    assert days.loc[7, "distance_m"] == pytest.approx(days.loc[0, "distance_m"], rel=1e-3)
    # ... but feels harder, by more than a few tenths of a CR10 point
    assert days.loc[7, "mean_rpe"] > days.loc[0, "mean_rpe"] + 0.4
    # fatigue accumulates day after day, and critical speed falls
    assert np.all(np.diff(days["fatigue_au"].to_numpy()[1:]) > 0)
    cs = "effective_critical_speed_mps"
    assert days.loc[7, cs] < 0.98 * TRAINED.critical_speed_mps
    # a race on the last day would be slower than fresh, and slower each hard day
    probe = block.what_if(TEST, days=[0, 3, 7, 8])
    times = probe["finish_time_s"].to_numpy()
    assert times[0] == gv.simulate(TRAINED, TEST).finish_time_s
    assert times[0] < times[1] < times[2]
    assert times[2] > 1.015 * times[0]
    assert probe.loc[7, "effective_critical_speed_mps"] == days.loc[7, cs]
    assert probe.loc[7, "finish_time_s"] == block.simulate_day(7, TEST).finish_time_s
    # the day after the block: the final state
    assert probe.loc[8, "rpe_offset_cr10"] == block.final_state["rpe_offset_cr10"]


def test_experience_persists_across_days_and_rest():
    # a blind trial (endpoint unknown) is the effort where experience matters most
    trial = Session(gv.Race(2000), feedback=gv.Feedback(endpoint_known=False))
    other = gv.Race(10000)
    plan = [trial, None, None, trial, HARD, None, trial]
    block = simulate_block(TRAINED, plan, initial_experience=0.0)
    days = block.days
    assert days.loc[0, "experience"] == 0.0
    assert days.loc[3, "experience"] == 1.0       # kept over two rest days
    assert days.loc[6, "experience"] == 2.0
    assert block.experience == {"Race 2000 m": 3.0}
    # training is submaximal: never counted, and run with its own (practised) experience
    assert days.loc[4, "experience"] == gv.Modifiers().experience
    # simulate_day sees the experience of that day, and efforts are kept apart
    assert block.simulate_day(2, trial).modifiers.experience == 1.0
    assert block.simulate_day(7, trial).modifiers.experience == 3.0
    assert block.simulate_day(7, other).modifiers.experience == 0.0
    # the educated governor races faster, despite the fatigue of the block
    assert days.loc[6, "finish_time_s"] < 0.97 * days.loc[0, "finish_time_s"]
    # experience by effort label: a session can join another effort
    joined = simulate_block(TRAINED, [gv.Race(2000),
                                      Session(gv.Race(2100), effort="Race 2000 m")],
                            initial_experience={"Race 2000 m": 1.0})
    assert list(joined.days["experience"]) == [1.0, 2.0]


def test_blind_endpoint_gap_closes_with_experience():
    """Mauger et al. 2009 over a block: four trials three days apart, blind against informed;
    the first blind trial is 4-15 % slower, the fourth within 2 % (targets T6)."""
    def four_trials(feedback):
        trial = Session(gv.Race(2000), feedback=feedback)
        days = simulate_block(TRAINED, [trial, None, None] * 3 + [trial],
                              initial_experience=0.0).days
        return days["finish_time_s"].dropna().to_numpy()
    informed = four_trials(None)
    blind = four_trials(gv.Feedback(endpoint_known=False))
    gap = blind / informed - 1.0
    assert 0.04 <= gap[0] <= 0.15
    assert abs(gap[3]) < 0.02
    assert np.all(np.diff(blind) < 0)


def test_session_modifiers_combine_with_the_block():
    session = Session(gv.Race(3000), modifiers=gv.Modifiers(afferent_gain=0.9,
                                                             mental_fatigue=0.5,
                                                             experience=99.0))
    block = simulate_block(TRAINED, [HARD, session], initial_experience=2.0)
    m = block.simulations[1].modifiers
    assert m.afferent_gain == 0.9
    assert m.experience == 2.0
    assert m.mental_fatigue == pytest.approx(0.5 + block.days.loc[1, "rpe_offset_cr10"])


def test_block_is_pure():
    plan = [HARD, None, TEST]
    copy = list(plan)
    response = TrainingResponse()
    simulate_block(TRAINED, plan, response=response)
    assert plan == copy
    assert response == TrainingResponse()
    a = simulate_block(TRAINED, plan).days
    b = simulate_block(TRAINED, tuple(plan)).days
    pd.testing.assert_frame_equal(a, b)


def test_effort_labels():
    assert effort_label(gv.Race(4000)) == "Race 4000 m"
    assert effort_label(gv.TimeTrial(1800)) == "TimeTrial 1800 s"
    assert effort_label(gv.TimeToExhaustion(5.5)) == "TimeToExhaustion 5.5 m/s"
    assert effort_label(gv.FixedRPE(6.0)) == "FixedRPE 6"
    assert effort_label(HARD) == "Training"
    assert Session(gv.Race(4000)).maximal and not Session(HARD).maximal


def test_response_table_documents_every_field():
    table = TrainingResponse().table()
    for name in ("fitness_tau_d", "fatigue_tau_d", "fitness_gain_per_au", "fatigue_gain_per_au",
                 "fatigue_growth_per_au", "fatigue_growth_tau_d", "fatigue_rpe_per_au",
                 "trimp_weight", "trimp_exponent"):
        row = table.loc[name]
        assert row["unit"] and row["meaning"] and row["source"]
        assert row["lower"] <= row["value"] <= row["upper"]
    assert table.loc["fitness_tau_d", "value"] == 42.0
    assert table.loc["fatigue_tau_d", "value"] == 7.0


# ---- invalid input ----------------------------------------------------------------------
@pytest.mark.parametrize("sessions, match", [
    ([], "empty"),
    (gv.Race(5000), "sequence"),
    ("rest", "sequence"),
    ([gv.Race(5000), "rest"], r"sessions\[1\]"),
    ([HARD, 5000.0], r"sessions\[1\]"),
])
def test_invalid_plans_raise(sessions, match):
    with pytest.raises(ValueError, match=match):
        simulate_block(TRAINED, sessions)


@pytest.mark.parametrize("kwargs, match", [
    ({"initial_experience": -1.0}, "initial_experience"),
    ({"initial_experience": math.nan}, "initial_experience"),
    ({"initial_experience": {"Race 5000 m": -2}}, "initial_experience"),
    ({"initial_experience": {5000: 2}}, "effort labels"),
    ({"response": gv.TRAINED}, "TrainingResponse"),
])
def test_invalid_options_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        simulate_block(TRAINED, [gv.Race(5000)], **kwargs)


def test_other_invalid_input_raises():
    with pytest.raises(ValueError, match="params"):
        simulate_block({"critical_speed_mps": 4.9}, [gv.Race(5000)])
    with pytest.raises(ValueError, match="fatigue_tau_d"):
        TrainingResponse(fatigue_tau_d=0.0)
    with pytest.raises(ValueError, match="fitness_gain_per_au"):
        TrainingResponse(fitness_gain_per_au=math.inf)
    with pytest.raises(ValueError, match="Session.protocol"):
        Session("a 5 k")
    with pytest.raises(ValueError, match="Session.feedback"):
        Session(gv.Race(5000), feedback={"endpoint_known": False})
    with pytest.raises(ValueError, match="Session.effort"):
        Session(gv.Race(5000), effort="")
    with pytest.raises(ValueError, match="non-negative"):
        impulse_response([100.0, -5.0])
    with pytest.raises(ValueError, match="empty"):
        impulse_response([])
    with pytest.raises(ValueError, match="same length"):
        trimp_au([150.0, 160.0], [1.0], 50.0, 190.0)
    with pytest.raises(ValueError, match="increase"):
        trimp_au([150.0, 160.0], [2.0, 1.0], 50.0, 190.0)
    block = simulate_block(TRAINED, [None, None])
    with pytest.raises(ValueError, match="day must be"):
        block.simulate_day(3, TEST)
    with pytest.raises(ValueError, match="not a rest day"):
        block.simulate_day(1, None)
    # a load so large that critical speed would leave Params' range says which day
    huge = TrainingResponse(fatigue_gain_per_au=2e-3, fitness_gain_per_au=0.0)
    slow = TRAINED.replace(critical_speed_mps=1.6, v_max_mps=5.0)
    with pytest.raises(ValueError, match="day 1"):
        simulate_block(slow, [gv.Training.steady(3600, target_rpe=6.0), TEST], response=huge)


# ---- figures ----------------------------------------------------------------------------
def test_block_figures_draw_the_day_table():
    import matplotlib.pyplot as plt

    from governor import plot

    trial = gv.Race(2000)
    block = simulate_block(TRAINED, [trial, HARD, None, trial], initial_experience=0.0)
    days = block.days
    try:
        axes = plot.plot_block(block)
        assert len(axes) == 4
        fatigue = [ln for ln in axes[1].get_lines() if ln.get_label() == "fatigue"][0]
        np.testing.assert_allclose(fatigue.get_xdata(), np.arange(5))
        np.testing.assert_allclose(fatigue.get_ydata()[:4], days["fatigue_au"])
        assert fatigue.get_ydata()[4] == pytest.approx(block.final_state["fatigue_au"])
        heights = [bar.get_height() for bar in axes[0].patches]
        np.testing.assert_allclose(heights, days["load_au"])
        # critical speed drawn as pace [s/km], faster higher, speed [m/s] on its own axis
        assert axes[2].get_ylabel() == "critical pace [min/km]" and axes[2].yaxis_inverted()
        assert plot.speed_axis_of(axes[2]).get_ylabel() == "speed [m/s]"
        effective = [ln for ln in axes[2].get_lines()
                     if ln.get_label() == "effective critical speed"][0]
        np.testing.assert_allclose(effective.get_ydata()[:4],
                                   1000.0 / days["effective_critical_speed_mps"])

        ax = plot.plot_block_days({"plan": block, "what if": block.what_if(TEST)},
                                  "finish_time_s")
        plan, what_if = ax.get_lines()
        assert plan.get_label() == "plan"
        np.testing.assert_allclose(plan.get_xdata(), [0, 1, 3])   # the rest day is left out
        assert len(what_if.get_xdata()) == 5
        assert ax.get_xlabel() == "day" and "[s]" in ax.get_ylabel()

        ax = plot.plot_trials({"naive": block}, "finish_time_s")
        (line,) = ax.get_lines()
        np.testing.assert_allclose(line.get_xdata(), [1, 2])
        np.testing.assert_allclose(line.get_ydata(), days["finish_time_s"].iloc[[0, 3]])
        with pytest.raises(KeyError):
            plot.plot_block_days({"plan": block}, "no such column")
        with pytest.raises(ValueError, match="four panels"):
            plot.plot_block(block, axes=axes[:2])
    finally:
        plt.close("all")
