"""Heart rate as an observation of the model: one kinetics in the simulation and along a
saved trajectory, the sensor's artefacts set aside, and the plain first-order baseline."""

from pathlib import Path

import numpy as np
import pytest

import governor as gv
from governor.fitting import synthetic_log
from governor.fitting.fit import HEART_PARAMS
from governor.fitting.heart import (
    PLAIN_PARAMS,
    fit_plain_heart_rate,
    heart_rate_artefacts,
    plain_heart_rate_bpm,
)
from governor.physiology.heart import heart_rate_along_bpm, steady_heart_rate_bpm

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "logs"
P = gv.TRAINED


def test_steady_heart_rate_is_a_line_from_the_baseline_to_the_heart_rate_at_cs():
    args = (P.heart_rate_rest_bpm, P.heart_rate_max_bpm, 75.0, 0.9, 8.0, 10.0)
    cs = P.critical_speed_mps
    at_cs = P.heart_rate_rest_bpm + 0.9 * (P.heart_rate_max_bpm - P.heart_rate_rest_bpm)
    assert steady_heart_rate_bpm(0.0, cs, 37.0, 0.0, *args) == pytest.approx(75.0)
    assert steady_heart_rate_bpm(cs, cs, 37.0, 0.0, *args) == pytest.approx(at_cs)
    half = steady_heart_rate_bpm(0.5 * cs, cs, 37.0, 0.0, *args)
    assert half == pytest.approx(0.5 * (75.0 + at_cs))
    # drifts: 8 bpm per degC of core above 37, 10 bpm per hour of work at CS
    assert steady_heart_rate_bpm(0.5 * cs, cs, 38.0, 0.5, *args) == pytest.approx(half + 13.0)
    assert steady_heart_rate_bpm(2.0 * cs, cs, 39.0, 1.0, *args) == P.heart_rate_max_bpm


@pytest.mark.parametrize("protocol", [
    gv.Race(5000.0),
    gv.Training((gv.Segment(600.0, target_speed_mps=3.0), gv.Segment(180.0, target_speed_mps=5.5),
                 gv.Segment(240.0, target_speed_mps=0.0), gv.Segment(900.0, target_speed_mps=3.6))),
], ids=["race", "training with a stop"])
def test_heart_rate_along_a_trajectory_is_the_simulated_heart_rate(protocol):
    """The fitter's heart rate (stepped along the saved trajectory) and the compiled
    model's (integrated with the other states) are one model."""
    sim = gv.simulate(P, protocol)
    along = heart_rate_along_bpm(sim.time_s, sim.column("metabolic_speed_mps"),
                                 sim.column("core_temp_c"), sim.column("work_h"), P)
    simulated = sim.column("heart_rate_bpm")
    assert np.max(np.abs(along - simulated)) < 0.5
    assert np.ptp(simulated) > 60.0  # and it did move


def steady_run(n=1800, speed=3.0):
    t = np.arange(float(n))
    v = np.full(n, speed)
    hr = 150.0 - 50.0 * np.exp(-t / 40.0)
    return t, v, hr


def test_a_strap_reading_low_at_the_start_and_a_spike_are_artefacts():
    t, v, hr = steady_run()
    observed = hr.copy()
    observed[:300] = 0.6 * hr[:300]  # a dry strap: low, then it catches the heart at 300 s
    observed[900] = 215.0            # a spike
    observed[1200:1210] = 0.0        # a dropout
    bad = heart_rate_artefacts(observed, v)
    assert bad[:290].all() and bad[900] and bad[1200:1210].all()
    assert not bad[320:890].any() and not bad[1220:].any()


def test_the_hearts_own_fast_changes_are_not_artefacts():
    """A start from standing, and repetitions: heart rate rises 40-60 bpm within a minute,
    but the speed changed with it."""
    n = 2400
    t = np.arange(float(n))
    v = np.where((t % 600) < 180, 5.5, 2.5)
    v[:30] = np.linspace(0.0, 2.5, 30)
    target = np.where(v > 4.0, 180.0, 130.0)
    hr = np.empty(n)
    hr[0] = 70.0
    for i in range(1, n):
        hr[i] = target[i] + (hr[i - 1] - target[i]) * np.exp(-1.0 / 12.0)
    assert not heart_rate_artefacts(hr, v).any()


def test_the_plain_model_recovers_its_own_terms():
    rng = np.random.default_rng(3)
    n = 3000
    t = np.arange(float(n))
    v = 3.0 + 0.6 * np.sin(t / 200.0)
    grade = 0.05 * np.sin(t / 300.0)
    truth = (80.0, 18.0, 6.0, 9.0, 35.0)
    hr = plain_heart_rate_bpm(t, v, grade, 90.0, *truth) + rng.normal(0.0, 1.5, n)

    class Log:
        name = "plain"
        time_s, observed_speed_mps, heart_rate_bpm = t, v, hr
    Log.grade = grade
    result = fit_plain_heart_rate([Log])
    got = result.values["plain"]
    for (name, *_), value in zip(PLAIN_PARAMS, truth, strict=True):
        assert got[name] == pytest.approx(value, rel=0.15, abs=0.5), name
    assert result.rmse_bpm == pytest.approx(1.5, rel=0.1)
    assert result.k == 5 and result.converged


@pytest.fixture(scope="module")
def training_fit():
    truth = P.replace(heart_rate_tau_rise_s=35.0, heart_rate_tau_fall_s=55.0)
    log = synthetic_log(truth, gv.Training.intervals(5, 180.0, 120.0, work_speed_mps=5.2,
                                                     warmup_s=600.0, cooldown_s=600.0),
                        seed=4)
    return gv.fit(log, effort="training", temperature_c=20.0)


def test_a_training_log_is_compared_on_heart_rate_with_its_intent_as_a_covariate(training_fit):
    """A training log's speed is its intent: not a fitted parameter, not counted, and not
    scored against speed baselines; its heart rate is, against the plain model."""
    r = training_fit
    assert r.n_parameters == len(HEART_PARAMS)  # 250 intent segments are not counted
    assert r.baselines_.empty
    table = r.heart_rate_baselines_
    assert set(table.index) == {"governor", "plain_first_order"}
    assert table.loc["governor", "k"] == len(HEART_PARAMS)
    assert table.loc["plain_first_order", "k"] == 5
    assert table["converged"].all()
    # the model that made the log explains it better than the plain one
    assert table.loc["governor", "rmse_heart_rate_bpm"] < table.loc["plain_first_order",
                                                                    "rmse_heart_rate_bpm"]
    text = r.report()
    assert "plain_first_order" in text and "covariate" in text


def test_the_all_out_baseline_converges_on_a_race():
    """The CS/D' model without a governor is fitted to convergence, from the distance-time
    line of the race, and says whether it converged."""
    result = gv.fit(gv.read_log(SAMPLES / "governor-sample-race-10k.csv"))
    row = result.baselines_.loc["cs_d_prime_no_governor"]
    assert row["converged"]
    assert 0 < row["evaluations"] < 200
    lo, hi = gv.Params.bounds("d_prime_m")
    assert result.n_evaluations >= row["evaluations"]
